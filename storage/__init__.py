"""Models, engine and sessions, queries and migrations. Knows nothing of the bot."""

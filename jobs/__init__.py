"""What runs on a schedule: reminders derived from the database, and the outbox sender."""

"""Storage: models, engine and sessions, queries by aggregate, migrations.

Every query is a function that takes a session and never commits; the caller (one unit of work per update
or job run) does. One key convention holds across every module: a department is named by its code, a
person, entry or task by its id, a chat account by (channel, external id), a chat by (channel, chat id).
Departments are reached only through `storage.departments`, the one place a commune scope will be added.
"""

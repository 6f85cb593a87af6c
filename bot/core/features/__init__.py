"""One module a feature, pure: the typed commands and grammar of its chat commands, the strings it says and the
renderers of its views. Its use cases and its declaration (`FEATURE`) are in the service module of the same name."""

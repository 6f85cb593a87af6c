"""Channel-agnostic core: parsing, permissions, targets and texts. Imports neither telegram nor sqlalchemy."""

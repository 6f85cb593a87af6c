"""Who may run what: one table, deny by default."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from bot.core.commands import CommandName


class Role(StrEnum):
    """A member's role; focal is held per department, leader and admin commune-wide."""

    LEADER = "leader"
    FOCAL = "focal"
    ADMIN = "admin"


ANY_MEMBER = frozenset(Role)

PERMISSIONS: dict[CommandName, frozenset[Role]] = {
    CommandName.START: ANY_MEMBER,
    CommandName.HELP: ANY_MEMBER,
    CommandName.WHOAMI: ANY_MEMBER,
    CommandName.MEETING: ANY_MEMBER,
    CommandName.DOCUMENT: ANY_MEMBER,
    CommandName.DOSSIERS: ANY_MEMBER,
    CommandName.CANCEL: ANY_MEMBER,
    CommandName.TARGETS: ANY_MEMBER,
    CommandName.LINK: frozenset({Role.ADMIN, Role.FOCAL}),
    CommandName.MEMBERS: frozenset({Role.ADMIN, Role.LEADER}),
    CommandName.REVOKE: frozenset({Role.ADMIN}),
    CommandName.SUBMIT: ANY_MEMBER,
    CommandName.REPORTS: ANY_MEMBER,
    CommandName.ASSIGN: frozenset({Role.LEADER, Role.ADMIN}),
    CommandName.TASKS: ANY_MEMBER,
    # "Only the lead department's people or a leader may update a task."
    CommandName.PROGRESS: frozenset({Role.LEADER, Role.FOCAL}),
    CommandName.DONE: frozenset({Role.LEADER, Role.FOCAL}),
}

# Commands anyone may send before registering: only redeeming an invite.
PUBLIC_COMMANDS = frozenset({CommandName.START})


@dataclass(frozen=True)
class Grant:
    """One active membership: a role, in a department for a focal person."""

    role: Role
    department: str | None = None


@dataclass(frozen=True)
class Actor:
    """A registered person as the core sees them."""

    person_id: int
    name: str
    grants: tuple[Grant, ...]

    @property
    def roles(self) -> frozenset[Role]:
        """Every role the person holds."""
        return frozenset(g.role for g in self.grants)

    @property
    def is_commune_wide(self) -> bool:
        """Leaders and admins see and act for every department."""
        return bool(self.roles & {Role.LEADER, Role.ADMIN})

    @property
    def focal_departments(self) -> tuple[str, ...]:
        """Codes of the departments this person is the focal person of."""
        return tuple(g.department for g in self.grants if g.role is Role.FOCAL and g.department)

    @property
    def is_leader(self) -> bool:
        """Chủ tịch or Phó Chủ tịch."""
        return Role.LEADER in self.roles

    def may_act_for(self, department: str) -> bool:
        """May log, cancel or bind for this department."""
        return self.is_commune_wide or department in self.focal_departments


def may_run(actor: Actor | None, command: CommandName) -> bool:
    """Deny by default: only the roles in PERMISSIONS, and no one unregistered but for /start."""
    if actor is None:
        return command in PUBLIC_COMMANDS
    return bool(actor.roles & PERMISSIONS[command])


def resolve_department(actor: Actor, named: str | None, group_department: str | None) -> str | None:
    """The department an entry is for: named > the group's (if allowed) > the only one the person has."""
    if named is not None:
        return named
    if group_department is not None and actor.may_act_for(group_department):
        return group_department
    if len(actor.focal_departments) == 1:
        return actor.focal_departments[0]
    return None

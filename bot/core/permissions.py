"""Who may do what: roles, and every rule about who may act for which department, in one place."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class Role(StrEnum):
    """A member's role; focal is held per department, leader and admin commune-wide, province across communes."""

    LEADER = "leader"
    FOCAL = "focal"
    ADMIN = "admin"
    PROVINCE = "province"  # the Sở Nội vụ's officer: reads every commune, writes nothing
    FRONT = "mattran"  # the Mặt trận Tổ quốc's focal person: records feedback, reads its own and the answers


ANY_MEMBER = frozenset({Role.LEADER, Role.FOCAL, Role.ADMIN})  # every role a commune's people hold
EVERYONE = frozenset({Role.LEADER, Role.FOCAL, Role.ADMIN, Role.PROVINCE})  # officials and the province officer
ALL_ROLES = frozenset(Role)  # and the Mặt trận: /help, /toi, /kenh
READERS = frozenset({Role.LEADER, Role.ADMIN, Role.PROVINCE})  # the whole commune's files: /xuat, /baocaomau
MANAGERS = frozenset({Role.LEADER, Role.ADMIN})
ADMINS = frozenset({Role.ADMIN})
FOCAL_OR_ADMIN = frozenset({Role.FOCAL, Role.ADMIN})
LEADER_OR_FOCAL = frozenset({Role.LEADER, Role.FOCAL})


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
    commune_id: int | None = None  # None for the province officer, who belongs to no commune

    @property
    def roles(self) -> frozenset[Role]:
        """Every role the person holds."""
        return frozenset(g.role for g in self.grants)

    @property
    def is_commune_wide(self) -> bool:
        """Leaders and admins see and act for every department."""
        return bool(self.roles & MANAGERS)

    @property
    def focal_departments(self) -> tuple[str, ...]:
        """Codes of the departments this person is the focal person of."""
        return tuple(g.department for g in self.grants if g.role is Role.FOCAL and g.department)

    @property
    def is_province(self) -> bool:
        """The province officer: every commune, read only."""
        return Role.PROVINCE in self.roles

    @property
    def is_leader(self) -> bool:
        """Chủ tịch or Phó Chủ tịch."""
        return Role.LEADER in self.roles


def may_run(
    actor: Actor | None,
    roles: frozenset[Role],
    *,
    public: bool = False,
    consolidating: str | None = None,
) -> bool:
    """Deny by default: a command's roles only (and, if given, the consolidating department's focal people),
    and no one unregistered but for a public command."""
    if actor is None:
        return public
    return bool(actor.roles & roles) or (consolidating is not None and consolidating in actor.focal_departments)


def may_act_for(actor: Actor, department: str) -> bool:
    """May log, cancel, submit or bind a group for this department."""
    return actor.is_commune_wide or department in actor.focal_departments


def sees_every_department(actor: Actor, consolidating: str | None = None) -> bool:
    """Leaders, admins, the province officer, and the focal people of the department that guides, chases and
    consolidates the plan (Phòng VH-XH) see every department's figures, tasks and reports."""
    if actor.is_commune_wide or actor.is_province:
        return True
    return consolidating is not None and consolidating in actor.focal_departments


def may_view(actor: Actor, department: str, consolidating: str | None = None) -> bool:
    """May see this department's figures, tasks and reports: its own people, and whoever sees them all."""
    return department in actor.focal_departments or sees_every_department(actor, consolidating)


def resolve_department(actor: Actor, named: str | None, group_department: str | None) -> str | None:
    """The department an entry is for: named > the group's (if allowed) > the only one the person has."""
    if named is not None:
        return named
    if group_department is not None and may_act_for(actor, group_department):
        return group_department
    if len(actor.focal_departments) == 1:
        return actor.focal_departments[0]
    return None


def may_cancel(actor: Actor, owner_id: int) -> bool:
    """An entry may be cancelled by whoever logged it, or by a leader or admin."""
    return owner_id == actor.person_id or actor.is_commune_wide


def may_manage_tasks(actor: Actor) -> bool:
    """Assign, change and withdraw tasks: leaders and admins."""
    return actor.is_commune_wide


def may_update_task(actor: Actor, lead_department: str) -> bool:
    """Only the lead department's people or a leader may update a task."""
    return actor.is_leader or lead_department in actor.focal_departments


def may_link(actor: Actor, department: str, current: str | None) -> bool:
    """Bind a group to a department: one's own, and never take a group from a department one cannot act for."""
    return may_act_for(actor, department) and (current in (None, department) or may_act_for(actor, current))


def may_revoke(actor: Actor, person_id: int) -> bool:
    """An admin takes roles from others, never from themself."""
    return person_id != actor.person_id

"""Accounts, delegations, roles per draft, sessions and tokens. See docs/roles.md."""

from penholder.auth.principal import Principal
from penholder.auth.roles import PERMISSIONS, Action, Kind, Relation, Role, parse_kind, parse_role
from penholder.auth.tokens import authenticate, hash_token, issue_token, revoke
from penholder.auth.users import add_account, create_user, list_users

__all__ = [
    "PERMISSIONS",
    "Action",
    "Kind",
    "Principal",
    "Relation",
    "Role",
    "add_account",
    "authenticate",
    "create_user",
    "hash_token",
    "issue_token",
    "list_users",
    "parse_kind",
    "parse_role",
    "revoke",
]

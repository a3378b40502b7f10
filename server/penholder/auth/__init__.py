"""Delegations, users, roles and tokens. See docs/roles.md."""

from penholder.auth.principal import Principal
from penholder.auth.roles import PERMISSIONS, Action, Role, parse_role
from penholder.auth.tokens import authenticate, hash_token, issue_token, revoke
from penholder.auth.users import create_user, list_users

__all__ = [
    "PERMISSIONS",
    "Action",
    "Principal",
    "Role",
    "authenticate",
    "create_user",
    "hash_token",
    "issue_token",
    "list_users",
    "parse_role",
    "revoke",
]

"""Asking for a new account's password at a terminal: the account commands (create_editor, create_journalist)."""
import getpass

from django.core.management.base import CommandError


def prompt_password(username: str) -> str | None:
    """The password typed twice, or None when left empty (the account keeps its password, or gets none)."""
    first = getpass.getpass(f"كلمة مرور {username} (اتركها فارغة لعدم التغيير): ")
    if not first:
        return None
    if getpass.getpass("أعد كتابتها: ") != first:
        raise CommandError("كلمتا المرور غير متطابقتين.")
    return first

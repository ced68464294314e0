"""What the account commands (create_editor, create_journalist) share: their arguments, the check of a username
and an email, and a new account's password, from the environment or typed twice at a terminal and checked by
Django's validators. Every message is in Arabic."""

import getpass
import os
import sys

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.management.base import CommandError
from django.core.validators import validate_email


def add_account_arguments(parser, env_name: str, *, email_help: str = "") -> None:
    parser.add_argument("username")
    parser.add_argument("--email", default="", help=email_help or None)
    parser.add_argument(
        "--noinput",
        "--no-input",
        action="store_false",
        dest="interactive",
        help=f"لا تسأل شيئا: كلمة المرور من {env_name}، وإلا فحساب بلا كلمة مرور صالحة",
    )


def checked_identity(username: str, email: str, *, role: str) -> tuple[str, str]:
    """(username, email) stripped, or a CommandError naming what is wrong: an empty name, an invalid address."""
    username, email = username.strip(), email.strip()
    if not username:
        raise CommandError(f"اسم المستخدم فارغ: اكتب اسما لل{role}.")
    if email:
        try:
            validate_email(email)
        except ValidationError:
            raise CommandError(f"عنوان البريد «{email}» غير صالح.") from None
    return username, email


def prompt_password(username: str, *, new: bool = True, env_name: str = "") -> str | None:
    """The password typed twice, or None when left empty: a new account then has no password yet, an existing one
    keeps its own. Without a terminal there is nobody to ask: a CommandError says what to do instead."""
    if not sys.stdin.isatty():
        where = f"في المتغير {env_name}" if env_name else "في متغير البيئة"
        raise CommandError(
            f"لا طرفية تُكتب فيها كلمة المرور: ضعها {where}، أو استعمل ‎--noinput‎ لحساب بلا كلمة مرور بعد."
        )
    hint = "اتركها فارغة لإنشاء الحساب بلا كلمة مرور الآن" if new else "اتركها فارغة لعدم التغيير"
    try:
        first = getpass.getpass(f"كلمة مرور {username} ({hint}): ")
        if not first:
            return None
        again = getpass.getpass("أعد كتابتها: ")
    except (EOFError, KeyboardInterrupt):
        raise CommandError("أُلغي: لم تُكتب كلمة المرور.") from None
    if again != first:
        raise CommandError("كلمتا المرور غير متطابقتين.")
    return first


def account_password(
    env_name: str, username: str, *, interactive: bool, user, ask_without_terminal: bool
) -> str | None:
    """The password for `user` (saved or not): from `env_name`, else asked at the terminal, else None. Checked
    against `user` (the similarity check compares it with their name and email)."""
    password = os.environ.get(env_name)
    if password is None and interactive and (ask_without_terminal or sys.stdin.isatty()):
        password = prompt_password(username, new=user.pk is None, env_name=env_name)
    if password is not None:
        try:
            validate_password(password, user)
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages)) from None
    return password

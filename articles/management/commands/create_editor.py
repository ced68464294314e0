"""manage.py create_editor USERNAME: a staff account in the «محررون» group (what editors may do is the group's)."""
import os

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from articles.editors import EDITORS_GROUP, make_editor
from articles.management.passwords import prompt_password

PASSWORD_ENV = "DJANGO_EDITOR_PASSWORD"


class Command(BaseCommand):
    help = (f"إنشاء حساب محرر (عضو في مجموعة «{EDITORS_GROUP}») أو ترقية مستخدم موجود إليها. "
            f"كلمة المرور تُطلب تفاعليا أو تؤخذ من المتغير {PASSWORD_ENV}.")

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--email", default="")
        parser.add_argument("--noinput", "--no-input", action="store_false", dest="interactive",
                            help=f"لا تسأل شيئا: كلمة المرور من {PASSWORD_ENV}، وإلا فحساب بلا كلمة مرور صالحة")

    def handle(self, *args, username, email, interactive, **options):
        password = os.environ.get(PASSWORD_ENV)
        if password is None and interactive:
            password = prompt_password(username)
        if password is not None:
            try:
                validate_password(password)
            except ValidationError as exc:
                raise CommandError(" ".join(exc.messages)) from None
        user, created = make_editor(username, email=email, password=password)
        verb = "أنشئ" if created else "حُدّث"
        self.stdout.write(self.style.SUCCESS(f"{verb} المحرر «{user.get_username()}» في مجموعة «{EDITORS_GROUP}»."))
        if not user.has_usable_password():
            self.stdout.write(f"لا كلمة مرور بعد: manage.py changepassword {user.get_username()}")

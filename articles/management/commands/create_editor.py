"""manage.py create_editor USERNAME: a staff account in the «محررون» group (what editors may do is the group's)."""

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand

from articles.editors import EDITORS_GROUP, make_editor
from articles.management.passwords import account_password, add_account_arguments, checked_identity

PASSWORD_ENV = "DJANGO_EDITOR_PASSWORD"


class Command(BaseCommand):
    help = (
        f"إنشاء حساب محرر (عضو في مجموعة «{EDITORS_GROUP}») أو ترقية مستخدم موجود إليها. "
        f"كلمة المرور تُطلب تفاعليا أو تؤخذ من المتغير {PASSWORD_ENV}."
    )

    def add_arguments(self, parser):
        add_account_arguments(parser, PASSWORD_ENV)

    def handle(self, *args, username, email, interactive, **options):
        username, email = checked_identity(username, email, role="محرر")
        User = get_user_model()
        user = User.objects.filter(username=username).first() or User(username=username, email=email)
        # Asked at a terminal; with none, a clear error rather than an account without the password meant for it.
        password = account_password(
            PASSWORD_ENV, username, interactive=interactive, user=user, ask_without_terminal=True
        )
        user, created = make_editor(username, email=email, password=password)
        verb = "أنشئ" if created else "حُدّث"
        self.stdout.write(self.style.SUCCESS(f"{verb} المحرر «{user.get_username()}» في مجموعة «{EDITORS_GROUP}»."))
        if not user.has_usable_password():
            self.stdout.write(f"لا كلمة مرور بعد: manage.py changepassword {user.get_username()}")

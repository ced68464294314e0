"""manage.py create_journalist USERNAME --email ADDRESS: an account in the «صحفيون» group (not staff: no admin)."""

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand

from articles.journalists.roles import JOURNALISTS_GROUP, make_journalist
from articles.management.passwords import account_password, add_account_arguments, checked_identity

PASSWORD_ENV = "DJANGO_JOURNALIST_PASSWORD"


class Command(BaseCommand):
    help = (
        f"إنشاء حساب صحفي (عضو في مجموعة «{JOURNALISTS_GROUP}») أو إضافة مستخدم موجود إليها. "
        f"كلمة المرور تُطلب تفاعليا أو تؤخذ من المتغير {PASSWORD_ENV}."
    )

    def add_arguments(self, parser):
        add_account_arguments(parser, PASSWORD_ENV, email_help="عنوان البريد: للتنبيهات ولاستعادة كلمة المرور")

    def handle(self, *args, username, email, interactive, **options):
        username, email = checked_identity(username, email, role="صحفي")
        User = get_user_model()
        user = User.objects.filter(username=username).first() or User(username=username, email=email)
        # No terminal (cron, a deploy script): nothing to ask, the password comes from the environment or not at all
        # (the journalist sets one through «نسيت كلمة المرور؟»).
        password = account_password(
            PASSWORD_ENV, username, interactive=interactive, user=user, ask_without_terminal=False
        )
        user, created = make_journalist(username, email=email, password=password)
        verb = "أنشئ" if created else "حُدّث"
        self.stdout.write(self.style.SUCCESS(f"{verb} الصحفي «{user.get_username()}» في مجموعة «{JOURNALISTS_GROUP}»."))
        if not user.email:
            self.stdout.write("لا بريد لهذا الحساب: لن تصله التنبيهات ولا رابط استعادة كلمة المرور (--email).")
        if not user.has_usable_password():
            self.stdout.write(f"لا كلمة مرور بعد: manage.py changepassword {user.get_username()}")

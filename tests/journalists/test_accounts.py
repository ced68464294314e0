"""Journalists' accounts on the real PostgreSQL database: the «صحفيون» role, create_journalist, logging in and out,
password resets by email, the throttled login, ARCHIVE_REQUIRE_LOGIN with feed tokens, and deleting an account.

The role comes from the group migration 0018 creates (articles.journalists.roles), never from permissions granted
by hand, so these tests also prove the group gives what the journalists' pages ask for.
"""

from __future__ import annotations

import json
import re
from html import unescape
from urllib.parse import parse_qs, urlsplit

import pytest
from django.contrib.auth.models import Group, User
from django.core import mail
from django.core.management import CommandError, call_command
from django.template import Context, Template
from django.test import Client, RequestFactory
from django.urls import NoReverseMatch, reverse
from pytest_django.asserts import assertContains, assertRedirects

from articles.editors import EDITORS_GROUP, make_editor
from articles.journalists import access
from articles.journalists.access import (
    JOURNALIST_PERMISSION,
    LOGIN_MIDDLEWARE,
    feed_token_for,
    is_journalist,
    replace_feed_token,
)
from articles.journalists.models import Collection, CollectionItem, FeedToken, SavedSearch
from articles.journalists.roles import GRANTS, JOURNALISTS_GROUP, ensure_journalists_group, make_journalist
from articles.models import Article, Tag
from tests.factories import ArticleFactory, TagFactory

pytestmark = pytest.mark.django_db

PASSWORD = "Sahafa-2026-kalima-sirr"
LOGIN = reverse("articles:login")


def reverses(name: str) -> bool:
    try:
        reverse(name)
    except NoReverseMatch:
        return False
    return True


def login(client, username, password, ip="203.0.113.7", **extra):
    return client.post(LOGIN, {"username": username, "password": password, **extra}, REMOTE_ADDR=ip)


@pytest.fixture
def salma():
    user, _ = make_journalist("salma", email="salma@example.org", password=PASSWORD)
    return user


@pytest.fixture
def locked_archive(settings):
    """ARCHIVE_REQUIRE_LOGIN on, as settings.py makes it: the middleware inserted before django-axes."""
    settings.ARCHIVE_REQUIRE_LOGIN = True
    middleware = list(settings.MIDDLEWARE)
    middleware.insert(middleware.index("axes.middleware.AxesMiddleware"), LOGIN_MIDDLEWARE)
    settings.MIDDLEWARE = middleware
    return settings


# --- the role ---------------------------------------------------------------------------------------------------


def test_journalists_group_grants_their_own_tables_only():
    group = Group.objects.get(name=JOURNALISTS_GROUP)
    granted = set(group.permissions.values_list("content_type__app_label", "codename"))
    assert ("articles", JOURNALIST_PERMISSION.split(".")[1]) in granted
    for model in ("savedsearch", "collection", "collectionitem"):
        assert {("articles", f"{a}_{model}") for a in ("add", "change", "delete", "view")} <= granted
    assert {app for app, _ in granted} == {"articles"}  # nothing on users, groups or sessions
    assert not {c for _, c in granted if c.endswith(("_article", "_tag", "_source", "_importbatch"))}


def test_migration_and_ensure_journalists_group_agree():
    from_migration = set(Group.objects.get(name=JOURNALISTS_GROUP).permissions.values_list("pk", flat=True))
    assert set(ensure_journalists_group().permissions.values_list("pk", flat=True)) == from_migration
    from importlib import import_module

    assert import_module("articles.migrations.0018_journalists_group").GRANTS == GRANTS


def test_a_journalist_is_not_staff_and_an_editor_can_be_both():
    journalist, created = make_journalist("salma", email="salma@example.org", password=PASSWORD)
    assert created and not journalist.is_staff and not journalist.is_superuser
    assert is_journalist(User.objects.get(pk=journalist.pk))
    assert not User.objects.get(pk=journalist.pk).has_perm("articles.change_article")

    editor, _ = make_editor("mohrer", email="mohrer@example.org", password=PASSWORD)
    assert not is_journalist(User.objects.get(pk=editor.pk))
    both, created = make_journalist("mohrer")
    both = User.objects.get(pk=both.pk)
    assert not created and both.is_staff and both.check_password(PASSWORD)  # kept as they were
    assert set(both.groups.values_list("name", flat=True)) == {EDITORS_GROUP, JOURNALISTS_GROUP}
    assert is_journalist(both) and both.has_perm("articles.change_article")


def test_make_journalist_refuses_an_empty_name():
    with pytest.raises(ValueError, match="اسم"):
        make_journalist("  ")


# --- manage.py create_journalist ---------------------------------------------------------------------------------


def test_create_journalist_command_reads_the_password_from_the_environment(monkeypatch, capsys):
    monkeypatch.setenv("DJANGO_JOURNALIST_PASSWORD", PASSWORD)
    call_command("create_journalist", "huda", "--email", "huda@example.org", "--noinput")
    user = User.objects.get(username="huda")
    assert user.check_password(PASSWORD) and user.email == "huda@example.org" and not user.is_staff
    assert list(user.groups.values_list("name", flat=True)) == [JOURNALISTS_GROUP]
    assert "أنشئ الصحفي «huda»" in capsys.readouterr().out
    # Again without a password: the account, and its password, stay as they are.
    monkeypatch.delenv("DJANGO_JOURNALIST_PASSWORD")
    call_command("create_journalist", "huda", "--noinput")
    assert User.objects.get(username="huda").check_password(PASSWORD)


def test_create_journalist_without_a_terminal_or_password_makes_an_account_to_reset(monkeypatch, capsys):
    monkeypatch.delenv("DJANGO_JOURNALIST_PASSWORD", raising=False)
    call_command("create_journalist", "nour", "--email", "nour@example.org")  # stdin is not a terminal here
    assert not User.objects.get(username="nour").has_usable_password()
    assert "لا كلمة مرور بعد" in capsys.readouterr().out


@pytest.mark.parametrize(
    "args, password, message",
    [
        (["sami"], "123", "كلمة المرور"),  # Django's validators, in Arabic
        (["sahafiyya"], "sahafiyya1", "مشابهة"),  # too close to the user name
        (["  "], PASSWORD, "اسم المستخدم فارغ"),
        (["sami", "--email", "not-an-address"], PASSWORD, "غير صالح"),
    ],
)
def test_create_journalist_refuses_bad_input_with_a_clear_message(monkeypatch, args, password, message):
    monkeypatch.setenv("DJANGO_JOURNALIST_PASSWORD", password)
    with pytest.raises(CommandError, match=message):
        call_command("create_journalist", *args, "--noinput")
    assert not User.objects.exists()


# --- logging in and out ----------------------------------------------------------------------------------------


def test_login_page_is_arabic_rtl_and_logs_in_to_next(client, salma):
    page = client.get(LOGIN + "?next=/topics/")
    assert page.status_code == 200
    assertContains(page, '<html lang="ar" dir="rtl">')
    assertContains(page, "الدخول إلى الأرشيف")
    assertContains(page, 'name="next" value="/topics/"')
    assertContains(page, "اسم المستخدم")
    assertContains(page, reverse("articles:password_reset"))
    response = login(client, "salma", PASSWORD, next="/topics/")
    assertRedirects(response, "/topics/", fetch_redirect_response=False)
    assert client.session["_auth_user_id"] == str(salma.pk)


def test_login_refuses_a_wrong_password_in_arabic(client, salma):
    response = login(client, "salma", "not-the-password")
    assert response.status_code == 200
    assertContains(response, "الرجاء إدخال اسم المستخدم وكلمة السر الصحيحين")
    assert "_auth_user_id" not in client.session
    assertContains(login(client, "", ""), "هذا الحقل مطلوب")


def test_login_never_redirects_off_site(client, salma):
    response = login(client, "salma", PASSWORD, next="https://evil.example/")
    assertRedirects(response, reverse("articles:home"), fetch_redirect_response=False)


def test_logout_is_a_post_with_csrf(salma):
    client = Client(enforce_csrf_checks=True)
    client.force_login(salma)
    home = client.get(reverse("articles:home"))
    assertContains(home, f'action="{reverse("articles:logout")}"')
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', home.content.decode()).group(1)
    assert client.get(reverse("articles:logout")).status_code == 405
    assert client.post(reverse("articles:logout")).status_code == 403  # no token: a link elsewhere cannot log out
    assert "_auth_user_id" in client.session
    response = client.post(reverse("articles:logout"), {"csrfmiddlewaretoken": token})
    assertRedirects(response, reverse("articles:home"), fetch_redirect_response=False)
    assert "_auth_user_id" not in client.session


def test_header_shows_login_to_visitors_and_the_journalists_links_to_journalists(client, salma):
    page = client.get(reverse("articles:topics")).content.decode()
    assert "دخول</a>" in page and f'href="{LOGIN}?next=%2Ftopics%2F"' in page
    assert "بحوثي" not in page and "خروج" not in page

    client.force_login(salma)
    page = client.get(reverse("articles:topics")).content.decode()
    assert "<bdi>salma</bdi>" in page and f'href="{reverse("articles:account")}"' in page
    assert "خروج</button>" in page and "دخول</a>" not in page
    if reverses("articles:saved_searches"):
        assert f'href="{reverse("articles:saved_searches")}">بحوثي</a>' in page
    if reverses("articles:collections"):
        assert f'href="{reverse("articles:collections")}">ملفاتي</a>' in page


def test_an_editor_without_the_role_sees_no_journalist_links_and_gets_an_arabic_403(client):
    editor, _ = make_editor("mohrer", email="mohrer@example.org", password=PASSWORD)
    client.force_login(editor)
    page = client.get(reverse("articles:topics")).content.decode()
    assert "بحوثي" not in page and "ملفاتي" not in page and "خروج</button>" in page
    if not reverses("articles:saved_searches"):
        pytest.skip("the saved searches' pages are not there yet")
    response = client.get(reverse("articles:saved_searches"))
    assert response.status_code == 403
    assertContains(response, "لا تملك صلاحية هذه الصفحة", status_code=403)
    assertContains(response, "هذه الصفحة للصحفيين", status_code=403)
    assertContains(response, 'dir="rtl"', status_code=403)


def test_a_visitor_on_a_journalists_page_is_sent_to_login(client):
    if not reverses("articles:saved_searches"):
        pytest.skip("the saved searches' pages are not there yet")
    url = reverse("articles:saved_searches")
    assertRedirects(client.get(url), f"{LOGIN}?next={url}", fetch_redirect_response=False)


def test_password_change(client, salma):
    client.force_login(salma)
    assertContains(client.get(reverse("articles:password_change")), "تغيير كلمة المرور")
    new = {"new_password1": "Jadida-2027-kalima", "new_password2": "Jadida-2027-kalima"}
    wrong = client.post(reverse("articles:password_change"), {"old_password": "nope", **new})
    assert wrong.status_code == 200 and "كلمة المرور القديمة" in wrong.content.decode()
    response = client.post(reverse("articles:password_change"), {"old_password": PASSWORD, **new})
    assertRedirects(response, reverse("articles:password_change_done"))
    assert User.objects.get(pk=salma.pk).check_password("Jadida-2027-kalima")
    assert "_auth_user_id" in client.session  # still logged in here


# --- password reset by email -----------------------------------------------------------------------------------


def _reset_link(message) -> str:
    links = re.findall(r"https?://\S+/accounts/password/reset/\S+/", message.body)
    assert len(links) == 1, message.body
    return links[0]


def test_password_reset_sends_an_arabic_email_whose_link_sets_a_new_password(client, salma, settings):
    settings.ARCHIVE_BASE_URL = "https://archive.example.org"
    page = client.get(reverse("articles:password_reset"))
    assertContains(page, "نسيت كلمة المرور؟")
    # Even where ALLOWED_HOSTS lets a forged Host through, the link comes from ARCHIVE_BASE_URL, never from it.
    settings.ALLOWED_HOSTS = ["*"]
    response = client.post(reverse("articles:password_reset"), {"email": "SALMA@example.org"}, HTTP_HOST="evil.example")
    assertRedirects(response, reverse("articles:password_reset_done"))
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["salma@example.org"]
    assert message.subject == "استعادة كلمة المرور في أرشيف الأخبار العربية"
    assert "مرحبا salma" in message.body and "evil.example" not in message.body
    link = _reset_link(message)
    assert link.startswith("https://archive.example.org/accounts/password/reset/")
    html, mimetype = message.alternatives[0]
    assert mimetype == "text/html" and 'dir="rtl"' in html and unescape(link) in unescape(html)

    form = client.get(urlsplit(link).path, follow=True)
    assertContains(form, "اختر كلمة مرور جديدة")
    set_url = form.redirect_chain[-1][0]
    weak = client.post(set_url, {"new_password1": "12345678", "new_password2": "12345678"})
    assertContains(weak, "شائعة")  # the validators' reasons, in Arabic
    done = client.post(set_url, {"new_password1": "Jadida-2027-kalima", "new_password2": "Jadida-2027-kalima"})
    assertRedirects(done, reverse("articles:password_reset_complete"))
    assertContains(client.get(reverse("articles:password_reset_complete")), "حُفظت كلمة المرور الجديدة")
    assert login(client, "salma", "Jadida-2027-kalima").status_code == 302
    # The link was for one use.
    client.logout()
    assertContains(client.get(urlsplit(link).path, follow=True), "الرابط لم يعد صالحا")


def test_password_reset_does_not_say_whether_an_address_has_an_account(client, salma):
    unknown = client.post(reverse("articles:password_reset"), {"email": "nobody@example.org"})
    known = client.post(reverse("articles:password_reset"), {"email": "salma@example.org"})
    assert unknown.status_code == known.status_code == 302 and unknown.url == known.url
    assert [m.to for m in mail.outbox] == [["salma@example.org"]]
    assertContains(client.get(unknown.url), "إن كان هذا العنوان مسجّلا")
    assertContains(client.post(reverse("articles:password_reset"), {"email": "not an address"}), "بريد")


def test_an_account_made_without_a_password_sets_its_first_one_by_reset(client):
    make_journalist("nour", email="nour@example.org")
    client.post(reverse("articles:password_reset"), {"email": "nour@example.org"})
    assert len(mail.outbox) == 1
    inactive, _ = make_journalist("gone", email="gone@example.org", password=PASSWORD)
    User.objects.filter(pk=inactive.pk).update(is_active=False)
    client.post(reverse("articles:password_reset"), {"email": "gone@example.org"})
    assert len(mail.outbox) == 1  # a deactivated account gets nothing


# --- throttling --------------------------------------------------------------------------------------------------


def test_the_journalists_login_is_throttled_like_the_admins(client, salma, settings):
    limit = settings.AXES_FAILURE_LIMIT
    for _ in range(limit - 1):
        assert login(client, "salma", "wrong").status_code == 200
    blocked = login(client, "salma", "wrong")
    assert blocked.status_code == 429
    response = login(client, "salma", PASSWORD)  # even the right password, now
    assert response.status_code == 429 and int(response["Retry-After"]) >= 60
    assert response["Content-Type"].startswith("text/html")
    assertContains(response, "محاولات دخول فاشلة كثيرة", status_code=429)
    assertContains(response, 'dir="rtl"', status_code=429)
    assertContains(response, reverse("articles:password_reset"), status_code=429)
    assert "_auth_user_id" not in client.session
    # Per name and address: the same journalist from another address still logs in.
    assert login(client, "salma", PASSWORD, ip="198.51.100.9").status_code == 302


# --- ARCHIVE_REQUIRE_LOGIN ---------------------------------------------------------------------------------------


def test_settings_add_the_middleware_only_when_asked(settings):
    assert LOGIN_MIDDLEWARE not in settings.MIDDLEWARE  # the default: an open archive
    import ast
    import subprocess
    import sys

    out = subprocess.run(
        [sys.executable, "-c", "from django.conf import settings; print(settings.MIDDLEWARE)"],
        env={
            **__import__("os").environ,
            "ARCHIVE_REQUIRE_LOGIN": "1",
            "DJANGO_SETTINGS_MODULE": "newsarchive.settings",
            "DJANGO_DEBUG": "1",
        },
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    middleware = ast.literal_eval(out)
    authentication = middleware.index("django.contrib.auth.middleware.AuthenticationMiddleware")
    assert middleware.index(LOGIN_MIDDLEWARE) > authentication
    # Static files are answered by whitenoise before the login is ever asked for.
    assert middleware.index("whitenoise.middleware.WhiteNoiseMiddleware") < middleware.index(LOGIN_MIDDLEWARE)
    assert middleware[-1] == "axes.middleware.AxesMiddleware"


def test_without_the_setting_everything_is_open(client):
    ArticleFactory()
    assert client.get(reverse("articles:home")).status_code == 200
    assert client.get(reverse("articles:api_search"), {"q": "تونس"}).status_code == 200
    assert client.get(reverse("articles:search_feed"), {"q": "تونس"}).status_code == 200


def test_locked_archive_sends_visitors_to_login(client, locked_archive):
    article = ArticleFactory()
    for url in [
        reverse("articles:home"),
        reverse("articles:search") + "?q=%D8%AA%D9%88%D9%86%D8%B3",
        article.get_absolute_url(),
        reverse("articles:topics"),
        reverse("articles:account"),
    ]:
        response = client.get(url)
        assert response.status_code == 302, url
        target = urlsplit(response.url)
        assert target.path == LOGIN and parse_qs(target.query)["next"] == [url]
    # The pages one needs to get in stay open.
    for url in [
        LOGIN,
        reverse("articles:password_reset"),
        reverse("articles:password_reset_done"),
        reverse("articles:password_reset_complete"),
    ]:
        assert client.get(url).status_code == 200, url
    assertContains(client.get(LOGIN + "?next=/"), "ادخل بحسابك لتفتح هذه الصفحة")


def test_locked_archive_answers_machines_with_401(client, locked_archive):
    article = ArticleFactory()
    for url in [reverse("articles:api_search") + "?q=x", reverse("articles:api_article", args=[article.pk])]:
        response = client.get(url)
        assert response.status_code == 401, url
        assert response["Content-Type"] == "application/json"
        assert json.loads(response.content) == {"error": access.NEEDS_ACCOUNT}
    csv = client.get(reverse("articles:search_csv") + "?q=x")
    assert csv.status_code == 401 and "ادخل بحسابك" in csv.content.decode()


def test_locked_archive_opens_for_an_account(client, locked_archive, salma):
    article = ArticleFactory()
    client.force_login(salma)
    assert client.get(reverse("articles:home")).status_code == 200
    assert client.get(article.get_absolute_url()).status_code == 200
    assert client.get(reverse("articles:api_search") + "?q=x").status_code == 200
    assert client.get(reverse("articles:search_csv") + "?q=x").status_code == 200
    assert client.get(reverse("articles:search_feed") + "?q=x").status_code == 200


def test_locked_archive_keeps_the_admins_own_login_and_the_unsubscribe_link(client, locked_archive):
    response = client.get("/admin/")
    assert response.status_code == 302 and urlsplit(response.url).path == reverse("admin:login")
    assert client.get(reverse("admin:login")).status_code == 200
    if not reverses("articles:saved_searches"):
        pytest.skip("the alerts' pages are not there yet")
    # A bad signed link: the unsubscribe page answers it itself (400), no login asked.
    response = client.get(reverse("articles:unsubscribe", args=["not-a-token"]))
    assert response.status_code == 400


def test_a_feed_opens_with_its_readers_token_and_nothing_else_does(client, locked_archive, salma):
    tag = TagFactory(name="اقتصاد", slug="economy")
    ArticleFactory(tags=[tag])
    key = feed_token_for(salma).key
    topic_feed = reverse("articles:topic_feed", args=[tag.slug])
    search_feed = reverse("articles:search_feed")
    for url in [topic_feed, f"{search_feed}?q=x"]:
        anonymous = client.get(url)
        assert anonymous.status_code == 401 and "مفتاحك" in anonymous.content.decode()
        assert client.get(url + ("&" if "?" in url else "?") + "token=wrong").status_code == 401
    opened = client.get(f"{search_feed}?q=x&token={key}")
    assert opened.status_code == 200 and opened["Content-Type"].startswith("application/atom+xml")
    assert key not in opened.content.decode()  # not in the feed's links to the search page
    assert client.get(f"{topic_feed}?token={key}").status_code == 200
    # The token opens feeds only, and logs nobody in.
    assert client.get(f"{reverse('articles:home')}?token={key}").status_code == 302
    assert client.get(f"{reverse('articles:api_search')}?q=x&token={key}").status_code == 401
    assert client.get(f"{reverse('articles:account')}?token={key}").status_code == 302
    assert "_auth_user_id" not in client.session and "sessionid" not in opened.cookies
    # A deactivated account's token opens nothing.
    User.objects.filter(pk=salma.pk).update(is_active=False)
    assert client.get(f"{topic_feed}?token={key}").status_code == 401


def test_replacing_the_token_revokes_the_old_feed_urls(locked_archive, salma):
    client = Client(enforce_csrf_checks=True)
    old = feed_token_for(salma).key
    assert feed_token_for(salma).key == old and len(old) >= 40  # one per user, token_urlsafe(32)
    client.force_login(salma)
    page = client.get(reverse("articles:account"))
    assertContains(page, old)
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.content.decode()).group(1)
    assert client.get(reverse("articles:feed_token")).status_code == 405
    assert client.post(reverse("articles:feed_token")).status_code == 403
    response = client.post(reverse("articles:feed_token"), {"csrfmiddlewaretoken": token})
    assertRedirects(response, reverse("articles:account"), fetch_redirect_response=False)
    new = FeedToken.objects.get(user=salma).key
    assert new != old
    anonymous = Client()
    assert anonymous.get(f"{reverse('articles:search_feed')}?q=x&token={old}").status_code == 401
    assert anonymous.get(f"{reverse('articles:search_feed')}?q=x&token={new}").status_code == 200
    assert replace_feed_token(salma).key not in {old, new}


def test_account_page_lists_the_journalists_feeds_with_the_token(client, locked_archive, salma):
    SavedSearch.objects.create(user=salma, name="محاكمة", params={"q": "محاكمة", "source": "okaz"})
    client.force_login(salma)
    page = client.get(reverse("articles:account"))
    key = feed_token_for(salma).key
    assertContains(page, "حسابي")
    assertContains(
        page,
        f"http://testserver{reverse('articles:search_feed')}?q=%D9%85%D8%AD%D8%A7%D9%83%D9%85%D8%A9"
        f"&amp;source=okaz&amp;token={key}",
    )
    assertContains(page, JOURNALISTS_GROUP)
    assertContains(page, reverse("articles:password_change"))


def test_account_page_needs_an_account(client):
    response = client.get(reverse("articles:account"))
    assert response.status_code == 302 and urlsplit(response.url).path == LOGIN


def test_feed_url_tag_adds_the_token_only_where_needed(settings, salma):
    template = Template("{% load archive %}{% feed_url url %}|{% feed_url url as u %}{{ u }}")
    request = RequestFactory().get("/")
    request.user = salma
    url = "/search/feed/?q=a&b=1"
    settings.ARCHIVE_REQUIRE_LOGIN = False
    plain = "/search/feed/?q=a&amp;b=1"
    assert template.render(Context({"request": request, "url": url})) == f"{plain}|{plain}"
    settings.ARCHIVE_REQUIRE_LOGIN = True
    key = feed_token_for(salma).key
    assert template.render(Context({"request": request, "url": "/topics/x/feed/"})) == (
        f"/topics/x/feed/?token={key}|/topics/x/feed/?token={key}"
    )
    assert f"&amp;token={key}" in template.render(Context({"request": request, "url": url}))
    from django.contrib.auth.models import AnonymousUser

    request.user = AnonymousUser()
    assert template.render(Context({"request": request, "url": url})).startswith("/search/feed/?q=a&amp;b=1|")
    assert template.render(Context({"url": url})).startswith("/search/feed/?q=a&amp;b=1|")  # an email: no request


# --- deleting an account -----------------------------------------------------------------------------------------


def test_deleting_an_account_deletes_its_own_things_and_nothing_else(salma):
    huda, _ = make_journalist("huda", email="huda@example.org", password=PASSWORD)
    tag = TagFactory(name="محاكم", slug="courts")
    first, second = ArticleFactory(tags=[tag]), ArticleFactory()
    for user in (salma, huda):
        SavedSearch.objects.create(user=user, name="محاكمة", params={"q": "محاكمة"})
        kept = Collection.objects.create(owner=user, name="ملف المحاكمة")
        CollectionItem.objects.create(collection=kept, article=first, note="ملاحظة")
        CollectionItem.objects.create(collection=kept, article=second, position=1)
        feed_token_for(user)
    hers = Collection.objects.get(owner=huda)
    hers.shared_with.add(salma)  # shared with the account that goes
    Collection.objects.get(owner=salma).shared_with.add(huda)

    User.objects.get(pk=salma.pk).delete()

    assert not SavedSearch.objects.filter(user_id=salma.pk).exists()
    assert not Collection.objects.filter(owner_id=salma.pk).exists()
    assert not FeedToken.objects.filter(user_id=salma.pk).exists()
    assert SavedSearch.objects.filter(user=huda).count() == 1
    assert list(Collection.objects.filter(owner=huda)) == [hers]
    assert hers.items.count() == 2 and list(hers.shared_with.all()) == []
    assert FeedToken.objects.filter(user=huda).exists()
    assert set(Article.objects.values_list("pk", flat=True)) == {first.pk, second.pk}
    assert list(Article.objects.get(pk=first.pk).tags.all()) == [tag] and Tag.objects.count() == 1
    assert Group.objects.filter(name=JOURNALISTS_GROUP).exists()


def test_pages_link_to_feeds_a_feed_reader_can_open(client, locked_archive, salma):
    tag = TagFactory(name="اقتصاد", slug="economy")
    ArticleFactory(tags=[tag])
    client.force_login(salma)
    key = feed_token_for(salma).key
    topic = client.get(tag.get_absolute_url()).content.decode()
    assert topic.count(f'href="{reverse("articles:topic_feed", args=[tag.slug])}?token={key}"') == 2
    search = client.get(reverse("articles:search"), {"q": "اقتصاد"}).content.decode()
    links = re.findall(r'href="(/search/feed/\?[^"]+)"', search)
    assert len(links) == 2 and all(unescape(link).endswith(f"&token={key}") for link in links)
    anonymous = Client()
    assert anonymous.get(unescape(links[0])).status_code == 200

"""Who may open what: the journalists' role on their own pages."""
from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied

# Held by the «صحفيون» group (articles.journalists.roles) and by superusers.
JOURNALIST_PERMISSION = "articles.add_savedsearch"


def is_journalist(user) -> bool:
    return user.is_authenticated and user.is_active and user.has_perm(JOURNALIST_PERMISSION)


def journalist_required(view):
    """A journalist's page: the login page for a visitor, 403 for an account without the role (an editor only)."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if not is_journalist(request.user):
            raise PermissionDenied("هذه الصفحة للصحفيين: حسابك لا يحمل هذا الدور.")
        return view(request, *args, **kwargs)

    return wrapped

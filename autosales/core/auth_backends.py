from axes.backends import AxesStandaloneBackend


class LockoutBackend(AxesStandaloneBackend):
    """Refuses sign-ins of locked-out accounts and addresses.

    Every sign-in a person can reach (the login page, the API token endpoint, the admin) passes the
    request. Calls without one (Django's test client ``login()``, management commands) have no
    address to count against, so they are left to the next backend instead of failing outright.
    """

    def authenticate(self, request, username=None, password=None, **kwargs):
        if request is None:
            return None
        return super().authenticate(request, username=username, password=password, **kwargs)

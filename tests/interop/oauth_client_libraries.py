#!/usr/bin/python3
"""Standard OAuth 2.0 client libraries against the real ihubd, with no special cases.

Issue 3 asks that a standard client library can obtain, introspect and revoke tokens. The e2e
tests (tests/e2e/oauth_test.cc) send what such libraries send; this test runs two of the
libraries themselves, from Debian's packages (tools/install-deps.sh):

  - Authlib's requests client (python3-authlib): client_secret_basic and client_secret_post,
    fetch_token, introspect_token (RFC 7662) and revoke_token (RFC 7009).
  - requests-oauthlib with oauthlib's BackendApplicationClient (python3-requests-oauthlib), the
    client-credentials flow most Python services use, and its Bearer header on a later call.

usage: oauth_client_libraries.py PATH_TO_IHUBD   (run by ctest as `oauth_client_libraries`)
"""
import json
import os
import signal
import subprocess
import sys
import tempfile
import threading
import time
import unittest
import urllib.error
import urllib.request

# oauthlib refuses plain http unless told; this test talks only to 127.0.0.1.
os.environ["OAUTHLIB_INSECURE_TRANSPORT"] = "1"

from authlib.integrations.base_client.errors import OAuthError  # noqa: E402
from authlib.integrations.requests_client import OAuth2Session as AuthlibSession  # noqa: E402
from oauthlib.oauth2 import BackendApplicationClient  # noqa: E402
from requests_oauthlib import OAuth2Session as OAuthlibSession  # noqa: E402

ROOT_KEY = "ihub_root_interop_0123456789abcdefghijklmnopqrs"
SEED_CLIENT = {
    "description": "Sample description", "name": "NewName3", "expirationTokenTime": 600,
    "defaultTillId": 15000449,
    "scopes": [{"entityId": 1, "permission": "READWRITE", "resources": [".*v3/targetGroups.*"]},
               {"entityId": 2, "permission": "WRITE", "resources": []}],
}
# A client whose tokens may read ihub's own client API (scope All, READWRITE, every path).
READER_CLIENT = {
    "description": "reads clients", "name": "reader", "expirationTokenTime": 600,
    "defaultTillId": 1, "scopes": [{"entityId": 2, "permission": "READWRITE", "resources": []}],
}


class Server:
    """ihubd on an ephemeral loopback port, stopped by its pid (SIGTERM, then SIGKILL)."""

    def __init__(self, daemon):
        self.data_dir = tempfile.TemporaryDirectory(prefix="ihub-interop-")
        env = {k: v for k, v in os.environ.items() if not k.startswith("IHUB_")}
        env["IHUB_ROOT_KEY"] = ROOT_KEY
        self.proc = subprocess.Popen(
            [daemon, "--listen", "127.0.0.1:0", "--data-dir", self.data_dir.name,
             "--threads", "2", "--access-log", "off"],
            env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
        self.port = self._read_port()
        # Keep reading its log so that a full pipe never blocks the server.
        threading.Thread(target=self.proc.stderr.read, daemon=True).start()
        self.base = f"http://127.0.0.1:{self.port}"

    def wait_ready(self, seconds=20):
        """Until /readyz answers 200: the APIs answer 503 while the store loads."""
        deadline = time.monotonic() + seconds
        while True:
            try:
                with urllib.request.urlopen(self.base + "/readyz", timeout=2) as response:
                    if response.status == 200:
                        return
            except urllib.error.URLError:
                pass
            if time.monotonic() > deadline:
                raise RuntimeError("ihubd did not become ready")
            time.sleep(0.05)

    def _read_port(self):
        for line in self.proc.stderr:  # ends when ihubd exits
            if '"msg":"listening"' in line:
                return json.loads(line)["port"]
        raise RuntimeError("ihubd exited before listening")

    def stop(self):
        self.proc.send_signal(signal.SIGTERM)
        try:
            self.proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
        self.data_dir.cleanup()

    def post_json(self, path, body, headers):
        request = urllib.request.Request(
            self.base + path, data=json.dumps(body).encode(), method="POST",
            headers={"Content-Type": "application/json", **headers})
        with urllib.request.urlopen(request, timeout=10) as response:
            return json.load(response)


class OAuthClientLibrariesTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.server = Server(sys.argv[1])
        cls.addClassCleanup(cls.server.stop)  # also when the rest of setUpClass fails
        cls.server.wait_ready()
        org = cls.server.post_json("/admin/v1/orgs", {"name": "interop"}, {"X-Api-Key": ROOT_KEY})
        in_org = {"X-Api-Key": ROOT_KEY, "x-platform-id": org["id"]}
        created = cls.server.post_json("/v3/integrations/clients", SEED_CLIENT, in_org)["data"]
        cls.client_id, cls.client_secret = created["clientKey"], created["clientSecret"]
        reader = cls.server.post_json("/v3/integrations/clients", READER_CLIENT, in_org)["data"]
        cls.reader_id, cls.reader_secret = reader["clientKey"], reader["clientSecret"]

    def url(self, path):
        return self.server.base + path

    def authlib_session(self, method, secret=None):
        session = AuthlibSession(self.client_id, secret or self.client_secret,
                                 token_endpoint_auth_method=method, scope="All")
        self.addCleanup(session.close)
        return session

    def check_obtain_introspect_revoke(self, method):
        session = self.authlib_session(method)
        token = session.fetch_token(self.url("/oauth/token"), grant_type="client_credentials")
        self.assertEqual(token["token_type"], "Bearer")
        self.assertEqual(token["expires_in"], 600)
        self.assertEqual(token["scope"], "All")
        access = token["access_token"]

        answer = session.introspect_token(self.url("/oauth/introspect"), token=access)
        self.assertEqual(answer.status_code, 200, answer.text)
        body = answer.json()
        self.assertTrue(body["active"])
        self.assertEqual(body["client_id"], self.client_id)

        revoked = session.revoke_token(self.url("/oauth/revoke"), token=access)
        self.assertEqual(revoked.status_code, 200, revoked.text)
        answer = session.introspect_token(self.url("/oauth/introspect"), token=access)
        self.assertEqual(answer.json(), {"active": False})

    def test_authlib_client_secret_basic(self):
        self.check_obtain_introspect_revoke("client_secret_basic")

    def test_authlib_client_secret_post(self):
        self.check_obtain_introspect_revoke("client_secret_post")

    def test_authlib_sees_invalid_client_for_a_wrong_secret(self):
        session = self.authlib_session("client_secret_basic", secret="x" * 40)
        with self.assertRaises(OAuthError) as raised:
            session.fetch_token(self.url("/oauth/token"), grant_type="client_credentials")
        self.assertEqual(raised.exception.error, "invalid_client")

    def test_requests_oauthlib_backend_application_flow(self):
        session = OAuthlibSession(client=BackendApplicationClient(client_id=self.reader_id))
        self.addCleanup(session.close)
        token = session.fetch_token(token_url=self.url("/oauth/token"),
                                    client_id=self.reader_id, client_secret=self.reader_secret)
        self.assertEqual(token["token_type"], "Bearer")
        self.assertEqual(token["expires_in"], 600)
        # The session now sends the token as a Bearer header, which ihub's own APIs accept
        # within the client's scopes.
        response = session.get(self.url("/v3/integrations/clients"))
        self.assertEqual(response.status_code, 200, response.text)
        keys = {c["clientKey"] for c in response.json()["data"]}
        self.assertEqual(keys, {self.client_id, self.reader_id})


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    unittest.main(argv=sys.argv[:1], verbosity=2)

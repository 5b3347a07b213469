"""Signs in as the first administrator, creates a full-scope API token for the fuzzer and the
records its requests may refer to, and prints them as JSON (read by hooks.py).

    python3 prepare.py BASE_URL EMAIL PASSWORD
"""
import json
import sys
import urllib.request

base, email, password = sys.argv[1:4]
cookie = None  # the session cookie is Secure, so it is carried by hand over plain loopback HTTP


def call(method, path, body=None, headers=None):
    global cookie
    data = None if body is None else json.dumps(body).encode()
    request = urllib.request.Request(base + path, data=data, method=method)
    request.add_header("Content-Type", "application/json")
    request.add_header("X-Casedesk-CSRF", "1")
    if cookie:
        request.add_header("Cookie", cookie)
    for name, value in (headers or {}).items():
        request.add_header(name, value)
    with urllib.request.urlopen(request) as response:
        for header in response.headers.get_all("Set-Cookie") or []:
            cookie = header.split(";", 1)[0]
        return json.load(response)


call("POST", "/api/v1/auth/sign-in", {"email": email, "password": password})
areas = ["customers", "queries", "documents", "correspondence", "reports", "feedback", "administration"]
token = call("POST", "/api/v1/me/api-tokens", {"name": "fuzz", "scopes": [{"area": a, "level": "full"} for a in areas]})
me = call("GET", "/api/v1/me")
sessions = call("GET", "/api/v1/sessions")["items"]
session_id = next(s["id"] for s in sessions if s.get("current"))
admin = me["user"]["id"]
groups = call("GET", "/api/v1/groups")
groups = groups["items"] if isinstance(groups, dict) else groups
own_group = next(g["id"] for g in groups if admin in g.get("member_ids", []))
statuses = call("GET", "/api/v1/query-statuses")
statuses = statuses["items"] if isinstance(statuses, dict) else statuses
customer = call("POST", "/api/v1/customers", {"given_name": "Fuzz", "family_name": "Reference"})["id"]
team = call("POST", "/api/v1/teams", {"name": "Fuzz team", "member_ids": [admin]})["id"]
query_type = call("POST", "/api/v1/query-types", {"name": "Fuzz type"})["id"]
# Entra settings are saved once, so a change without a secret keeps this one.
call("PUT", "/api/v1/settings/entra", {
    "directory_id": "72f988bf-86f1-41af-91ab-2d7cd011db47",
    "client_id": "11111111-2222-3333-4444-555555555555",
    "client_secret": "fuzz-secret",
    "redirect_url": "http://localhost:8080/api/v1/auth/entra/callback",
    "api_audience": "api://casedesk-fuzz",
}, {"If-Match": "0"})
workflows = call("GET", "/api/v1/workflows")
definition = workflows["items"][0]["definition"]
query = call("POST", "/api/v1/queries", {"channel": "phone", "subject": "Fuzz reference", "customer_id": customer})["id"]
print(json.dumps({
    "token": token["secret"],
    "session": cookie.split("=", 1)[1],
    "token_id": token["token"]["id"],
    "session_id": session_id,
    "user": admin,
    "group": own_group,
    "status": statuses[0]["id"],
    "customer": customer,
    "team": team,
    "query_type": query_type,
    "query": query,
    "definition": definition,
}))

# An Envoy ext_authz policy over the input OPA's Envoy plugin builds: public
# reads for everyone, writes under /api/<team>/ for members of that team,
# everything for admins. The decision at envoy/authz/allow (policyd's
# default ext_authz path) is an object, so that Envoy also gets a header for
# the upstream, and a status and body for denied requests.
package envoy.authz

http := input.attributes.request.http

default allowed := false

allowed if {
	http.method in {"GET", "HEAD"}
	input.parsed_path[0] == "public"
}

allowed if {
	http.method in {"POST", "PUT", "DELETE"}
	input.parsed_path[0] == "api"
	input.parsed_path[1] == http.headers["x-team"]
	http.headers["x-team"] in data.envoy.teams
}

allowed if http.headers["x-role"] == "admin"

allow := {
	"allowed": allowed,
	"headers": {"x-policy-team": object.get(http.headers, "x-team", "none")},
	"http_status": status,
	"body": body,
}

status := 200 if allowed
else := 403

body := "" if allowed
else := "denied by policy\n"

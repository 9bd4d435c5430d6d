# An Envoy ext_authz policy over the input OPA's Envoy plugin builds: public
# reads for everyone, writes under /api/<team>/ for members of that team,
# everything for admins. The decision is an object, so that Envoy also gets
# headers for the upstream and a status and body for denied requests.
package envoy.authz

default allow := false

http := input.attributes.request.http

allow if {
	http.method in {"GET", "HEAD"}
	input.parsed_path[0] == "public"
}

allow if {
	http.method in {"POST", "PUT", "DELETE"}
	input.parsed_path[0] == "api"
	input.parsed_path[1] == http.headers["x-team"]
	http.headers["x-team"] in data.envoy.teams
}

allow if http.headers["x-role"] == "admin"

decision := {
	"allowed": allow,
	"headers": {"x-policy-team": object.get(http.headers, "x-team", "none")},
	"http_status": status,
	"body": body,
}

status := 200 if allow
else := 403

body := "" if allow
else := "denied by policy"

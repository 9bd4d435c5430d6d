# Tests of the ext_authz example: `policyd test examples/bundle`.
package envoy.authz_test

import data.envoy.authz

request(method, path, headers) := {
	"attributes": {"request": {"http": {"method": method, "headers": headers}}},
	"parsed_path": path,
}

test_public_reads_are_allowed if {
	authz.allow.allowed with input as request("GET", ["public", "docs"], {})
}

test_team_writes_its_own_api if {
	d := authz.allow with input as request("POST", ["api", "search"], {"x-team": "search"})
	d.allowed
	d.http_status == 200
	d.headers["x-policy-team"] == "search"
}

test_other_team_is_denied_with_403 if {
	d := authz.allow with input as request("DELETE", ["api", "payments"], {"x-team": "search"})
	not d.allowed
	d.http_status == 403
	d.body == "denied by policy\n"
}

test_unknown_team_is_denied if {
	not authz.allowed with input as request("POST", ["api", "search"], {"x-team": "search"})
		with data.envoy.teams as ["payments"]
}

test_admin_may_do_anything if {
	authz.allowed with input as request("DELETE", ["api", "x"], {"x-role": "admin"})
}

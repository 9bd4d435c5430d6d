# Tests of the service-to-service policy: `policyd test examples/network`.
package network.authz_test

import data.network.authz

request(principal, host) := {"attributes": {
	"source": {"principal": principal},
	"request": {"http": {"method": "GET", "path": "/", "host": host}},
}}

web := "spiffe://cluster.local/ns/shop/sa/web"

gateway := "spiffe://cluster.local/ns/ingress/sa/gateway"

test_listed_call_is_allowed if {
	d := authz.allow with input as request(web, "orders.shop.svc.cluster.local:8080")
	d.allowed
	d.http_status == 200
}

test_unlisted_call_is_denied_with_a_reason if {
	d := authz.allow with input as request(web, "ledger.finance.svc.cluster.local")
	not d.allowed
	d.http_status == 403
	d.headers["x-policy-reason"] == "web.shop may not call ledger.finance (default deny between services)"
}

test_ingress_reaches_frontends_only if {
	authz.allowed with input as request(gateway, "web.shop.svc.cluster.local")
	not authz.allowed with input as request(gateway, "orders.shop.svc.cluster.local")
}

test_no_identity_is_denied if {
	r := request(web, "orders.shop")
	not authz.allowed with input as {"attributes": {"request": r.attributes.request}}
	authz.reasons["the caller presented no mesh identity (mTLS peer principal)"] with input as {"attributes": {"request": r.attributes.request}}
}

test_new_edge_through_data if {
	authz.allowed with input as request(web, "ledger.finance")
		with data.network.calls as [{"from": "web.shop", "to": "ledger.finance"}]
}

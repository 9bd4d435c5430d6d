# Service-to-service authorization at each workload's Envoy, in the spirit
# of a Kubernetes NetworkPolicy: default deny between services; traffic from
# outside the mesh (the ingress gateway) only to workloads labelled
# role=frontend; calls between services only along the edges listed in
# data.network.calls. Identities come from the ext_authz input: the caller
# is the mTLS peer's principal (attributes.source.principal, a SPIFFE ID);
# the callee is the service named by the request's host header. Every denial
# says why, in the body and in the x-policy-reason header.
package network.authz

http := input.attributes.request.http

# "spiffe://cluster.local/ns/shop/sa/web" -> "web.shop".
caller := workload if {
	parts := split(trim_prefix(input.attributes.source.principal, "spiffe://cluster.local/"), "/")
	[ns_key, ns, sa_key, sa] := parts
	ns_key == "ns"
	sa_key == "sa"
	workload := concat(".", [sa, ns])
}

# "orders.shop.svc.cluster.local:8080" -> "orders.shop".
callee := workload if {
	host := split(http.host, ":")[0]
	labels := split(host, ".")
	count(labels) >= 2
	workload := concat(".", [labels[0], labels[1]])
}

from_ingress if input.attributes.source.principal in data.network.ingress_principals

callee_labels := data.network.workloads[callee].labels

reasons contains "the caller presented no mesh identity (mTLS peer principal)" if {
	not input.attributes.source.principal
}

reasons contains sprintf("unknown caller identity %q", [input.attributes.source.principal]) if {
	input.attributes.source.principal
	not from_ingress
	not data.network.workloads[caller]
}

reasons contains sprintf("unknown destination %q", [http.host]) if {
	not callee_labels
}

reasons contains sprintf("ingress is allowed only to role=frontend workloads; %v is not one", [callee]) if {
	from_ingress
	callee_labels.role != "frontend"
}

reasons contains sprintf("%v may not call %v (default deny between services)", [caller, callee]) if {
	not from_ingress
	data.network.workloads[caller]
	callee_labels
	not {"from": caller, "to": callee} in data.network.calls
}

allowed if count(reasons) == 0

default allowed := false

reason := concat("; ", sort(reasons))

# The decision for Envoy (policyd's ext_authz object form).
allow := {
	"allowed": allowed,
	"http_status": 200,
	"headers": {},
	"body": "",
} if allowed

allow := {
	"allowed": false,
	"http_status": 403,
	"headers": {"x-policy-reason": reason},
	"body": concat("", ["denied: ", reason, "\n"]),
} if not allowed

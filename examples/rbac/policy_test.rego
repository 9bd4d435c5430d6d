# Tests of the RBAC example: `policyd test examples/rbac` (as `opa test`).
package rbac_test

import data.rbac

test_billing_may_update_finance if {
	rbac.allow with input as {"user": "bob", "action": "update", "type": "finance"}
}

test_customer_may_not_update_dogs if {
	not rbac.allow with input as {"user": "eve", "action": "update", "type": "dog"}
}

test_unknown_user_is_denied if {
	not rbac.allow with input as {"user": "mallory", "action": "read", "type": "dog"}
}

test_granting_roles_explain_the_decision if {
	rbac.granting_roles == {"employee", "billing"} with input as {"user": "bob", "action": "read", "type": "finance"}
		with data.rbac.role_grants.employee as [{"action": "read", "type": "finance"}]
}

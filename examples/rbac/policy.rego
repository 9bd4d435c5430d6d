# Role-based access control: a user may perform an action on a resource type
# when one of the user's roles grants it.
package rbac

default allow := false

allow if {
	some role in data.rbac.user_roles[input.user]
	some grant in data.rbac.role_grants[role]
	grant.action == input.action
	grant.type == input.type
}

# The roles that grant the requested access, for explaining a decision.
granting_roles contains role if {
	some role in data.rbac.user_roles[input.user]
	some grant in data.rbac.role_grants[role]
	grant.action == input.action
	grant.type == input.type
}

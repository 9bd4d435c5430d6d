#!/usr/bin/env python3
"""Writes the admission benchmark's inputs to OUT: a bundle of 50
ConstraintTemplates (10 rule shapes, 5 kinds each, in Rego v0) and 100
Constraints (two per template, all matching Pods), and review.json, the
AdmissionReview of a realistic Pod (three containers, labels, annotations,
volumes, probes, environment) that two constraints refuse.

  admission_bundle.py OUT
"""
import json
import os
import sys

SHAPES = {
    "requiredlabels": ('''
violation[{"msg": msg}] {
  provided := {l | input.review.object.metadata.labels[l]}
  required := {l | l := input.parameters.labels[_]}
  missing := required - provided
  count(missing) > 0
  msg := sprintf("missing labels: %v", [missing])
}''', [{"labels": ["app"]}, {"labels": ["app", "team"]}]),
    "allowedrepos": ('''
violation[{"msg": msg}] {
  c := input.review.object.spec.containers[_]
  not any_prefix(c.image)
  msg := sprintf("container %v: image %v is not from an allowed repository", [c.name, c.image])
}
any_prefix(image) { startswith(image, input.parameters.repos[_]) }''',
        [{"repos": ["registry.example.com/", "gcr.io/distroless/"]}, {"repos": ["registry.example.com/"]}]),
    "containerlimits": ('''
violation[{"msg": msg}] {
  c := input.review.object.spec.containers[_]
  r := input.parameters.resources[_]
  not c.resources.limits[r]
  msg := sprintf("container %v has no %v limit", [c.name, r])
}''', [{"resources": ["memory"]}, {"resources": ["cpu", "memory"]}]),
    "privileged": ('''
violation[{"msg": msg}] {
  c := input.review.object.spec.containers[_]
  c.securityContext.privileged
  msg := sprintf("container %v is privileged", [c.name])
}''', [{}, {}]),
    "disallowedtags": ('''
violation[{"msg": msg}] {
  c := input.review.object.spec.containers[_]
  tag := input.parameters.tags[_]
  endswith(c.image, concat(":", ["", tag]))
  msg := sprintf("container %v uses tag %v", [c.name, tag])
}''', [{"tags": ["latest"]}, {"tags": ["latest", "dev", "test"]}]),
    "requiredannotations": ('''
violation[{"msg": msg}] {
  a := input.parameters.annotations[_]
  not input.review.object.metadata.annotations[a.key]
  msg := sprintf("missing annotation %v", [a.key])
}
violation[{"msg": msg}] {
  a := input.parameters.annotations[_]
  value := input.review.object.metadata.annotations[a.key]
  not regex.match(a.allowedRegex, value)
  msg := sprintf("annotation %v does not match %v", [a.key, a.allowedRegex])
}''', [{"annotations": [{"key": "owner", "allowedRegex": "^[a-z]+@example.com$"}]},
       {"annotations": [{"key": "owner", "allowedRegex": "@example.com$"}]}]),
    "hostports": ('''
violation[{"msg": msg}] {
  c := input.review.object.spec.containers[_]
  p := c.ports[_]
  p.hostPort
  not input_allowed(p.hostPort)
  msg := sprintf("container %v uses host port %v", [c.name, p.hostPort])
}
input_allowed(port) { port >= input.parameters.min; port <= input.parameters.max }''',
        [{"min": 0, "max": 0}, {"min": 30000, "max": 32767}]),
    "forbiddenenv": ('''
violation[{"msg": msg}] {
  c := input.review.object.spec.containers[_]
  e := c.env[_]
  lower(e.name) == input.parameters.names[_]
  msg := sprintf("container %v sets forbidden variable %v", [c.name, e.name])
}''', [{"names": ["aws_secret_access_key"]}, {"names": ["password", "token"]}]),
    "pullpolicy": ('''
violation[{"msg": msg}] {
  c := input.review.object.spec.containers[_]
  not c.imagePullPolicy == input.parameters.policy
  msg := sprintf("container %v must use imagePullPolicy %v", [c.name, input.parameters.policy])
}''', [{"policy": "IfNotPresent"}, {"policy": "IfNotPresent"}]),
    "requiredprobes": ('''
violation[{"msg": msg}] {
  c := input.review.object.spec.containers[_]
  probe := input.parameters.probes[_]
  not c[probe]
  msg := sprintf("container %v has no %v", [c.name, probe])
}''', [{"probes": ["readinessProbe"]}, {"probes": ["livenessProbe", "readinessProbe"]}]),
}

POD = {
    "apiVersion": "v1", "kind": "Pod",
    "metadata": {
        "name": "checkout-7d9f8b6c5d-x2x4q", "namespace": "shop",
        "generateName": "checkout-7d9f8b6c5d-",
        "labels": {"app": "checkout", "team": "payments", "pod-template-hash": "7d9f8b6c5d",
                   "app.kubernetes.io/version": "2.14.1"},
        "annotations": {"owner": "payments@example.com", "prometheus.io/scrape": "true",
                        "prometheus.io/port": "9102"},
        "ownerReferences": [{"apiVersion": "apps/v1", "kind": "ReplicaSet",
                             "name": "checkout-7d9f8b6c5d", "uid": "8c1f", "controller": True}]},
    "spec": {
        "serviceAccountName": "checkout",
        "securityContext": {"runAsNonRoot": True, "runAsUser": 10001,
                            "seccompProfile": {"type": "RuntimeDefault"}},
        "containers": [
            {"name": "checkout", "image": "registry.example.com/shop/checkout:2.14.1",
             "imagePullPolicy": "IfNotPresent",
             "ports": [{"containerPort": 8080, "name": "http"}, {"containerPort": 9102, "name": "metrics"}],
             "env": [{"name": "LOG_LEVEL", "value": "info"}, {"name": "DB_HOST", "value": "orders-db"},
                     {"name": "DB_PASSWORD", "valueFrom": {"secretKeyRef": {"name": "db", "key": "password"}}}],
             "resources": {"requests": {"cpu": "250m", "memory": "256Mi"},
                           "limits": {"cpu": "1", "memory": "512Mi"}},
             "readinessProbe": {"httpGet": {"path": "/ready", "port": 8080}},
             "livenessProbe": {"httpGet": {"path": "/live", "port": 8080}},
             "securityContext": {"allowPrivilegeEscalation": False, "readOnlyRootFilesystem": True,
                                 "capabilities": {"drop": ["ALL"]}},
             "volumeMounts": [{"name": "config", "mountPath": "/etc/checkout"},
                              {"name": "tmp", "mountPath": "/tmp"}]},
            {"name": "envoy", "image": "registry.example.com/mesh/envoy:1.29.2",
             "imagePullPolicy": "IfNotPresent",
             "ports": [{"containerPort": 15001, "name": "proxy"}],
             "resources": {"requests": {"cpu": "100m", "memory": "64Mi"},
                           "limits": {"cpu": "500m", "memory": "128Mi"}},
             "readinessProbe": {"httpGet": {"path": "/ready", "port": 15021}},
             "livenessProbe": {"httpGet": {"path": "/ready", "port": 15021}},
             "securityContext": {"allowPrivilegeEscalation": False, "readOnlyRootFilesystem": True,
                                 "capabilities": {"drop": ["ALL"]}}},
            {"name": "log-shipper", "image": "registry.example.com/obs/shipper:latest",
             "imagePullPolicy": "IfNotPresent",
             "resources": {"limits": {"memory": "64Mi"}},
             "readinessProbe": {"exec": {"command": ["true"]}},
             "livenessProbe": {"exec": {"command": ["true"]}},
             "securityContext": {"allowPrivilegeEscalation": False, "readOnlyRootFilesystem": True}}],
        "volumes": [{"name": "config", "configMap": {"name": "checkout"}}, {"name": "tmp", "emptyDir": {}},
                    {"name": "kube-api-access", "projected": {"sources": [
                        {"serviceAccountToken": {"path": "token", "expirationSeconds": 3607}}]}}]}}


def main(out):
    bundle = os.path.join(out, "bundles", "admission")
    os.makedirs(bundle, exist_ok=True)
    constraints = []
    for shape, (rego, params) in SHAPES.items():
        for variant in range(5):
            kind = f"K8sBench{shape.capitalize()}{variant}"
            package = f"k8sbench{shape}{variant}"
            template = {
                "apiVersion": "templates.gatekeeper.sh/v1", "kind": "ConstraintTemplate",
                "metadata": {"name": kind.lower()},
                "spec": {"crd": {"spec": {"names": {"kind": kind},
                                          "validation": {"openAPIV3Schema": {"type": "object",
                                                                             "x-kubernetes-preserve-unknown-fields": True}}}},
                         "targets": [{"target": "admission.k8s.gatekeeper.sh",
                                      "rego": f"package {package}\n{rego}\n"}]}}
            with open(os.path.join(bundle, f"{package}.yaml"), "w") as f:
                json.dump(template, f, indent=1)
            for i, p in enumerate(params):
                constraints.append({
                    "apiVersion": "constraints.gatekeeper.sh/v1beta1", "kind": kind,
                    "metadata": {"name": f"{package}-{i}"},
                    "spec": {"match": {"kinds": [{"apiGroups": [""], "kinds": ["Pod"]}],
                                       "excludedNamespaces": ["kube-system"]},
                             "parameters": p}})
    with open(os.path.join(bundle, "constraints.yaml"), "w") as f:
        f.write("\n---\n".join(json.dumps(c) for c in constraints) + "\n")
    review = {"apiVersion": "admission.k8s.io/v1", "kind": "AdmissionReview",
              "request": {"uid": "4e2f0b5a-9c1d-4a7e-8f3b-2d6c1e0a9b7f",
                          "kind": {"group": "", "version": "v1", "kind": "Pod"},
                          "resource": {"group": "", "version": "v1", "resource": "pods"},
                          "namespace": "shop", "name": POD["metadata"]["name"], "operation": "CREATE",
                          "userInfo": {"username": "system:serviceaccount:kube-system:replicaset-controller",
                                       "groups": ["system:serviceaccounts", "system:authenticated"]},
                          "object": POD, "oldObject": None, "dryRun": False}}
    with open(os.path.join(out, "review.json"), "w") as f:
        json.dump(review, f)


if __name__ == "__main__":
    main(sys.argv[1])

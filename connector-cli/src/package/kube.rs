//! The Kubernetes manifest `connector package --oci` writes beside the image
//! (`<app_id>-<version>.k8s.yaml`): a Deployment and a Service.
//!
//! The Deployment runs the image as its non-root user on a read-only root filesystem with every
//! capability dropped; the token comes from the Secret `<app_id>-serve-token` (key `token`),
//! which the operator creates; `/healthz` is the liveness probe and `/readyz` (503 once
//! shutdown began) the readiness probe; the termination grace period is `serve`'s own (30 s, set
//! through `CONNECTOR_SERVE_GRACE`) plus a margin, so requests in flight finish before the kubelet kills the pod. Scale with
//! `replicas` (the server is stateless).

use serde_json::json;

use super::oci::{PORT, UID};

/// `serve`'s grace period for requests in flight, in seconds (`ServeOptions::grace`'s
/// default, Kubernetes' default `terminationGracePeriodSeconds`), set explicitly through
/// `CONNECTOR_SERVE_GRACE` so the pod's period below always exceeds it.
const SERVE_GRACE_SECONDS: u64 = 30;

/// What the kubelet waits beyond `serve`'s grace before it kills the container.
const KILL_MARGIN_SECONDS: u64 = 5;

/// The name of the Secret holding the token.
pub(super) fn secret_name(app_id: &str) -> String {
    format!("{}-serve-token", kube_name(app_id))
}

/// `app_id` as a Kubernetes object name (RFC 1123 label: lower-case alphanumerics and `-`).
pub(super) fn kube_name(app_id: &str) -> String {
    let name: String = app_id
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() {
                c.to_ascii_lowercase()
            } else {
                '-'
            }
        })
        .collect();
    let name = name.trim_matches('-');
    let name = if name.is_empty() { "connector" } else { name };
    name.chars().take(50).collect()
}

/// The manifest: a Deployment of `image` and its Service, as multi-document YAML.
pub(super) fn manifest(app_id: &str, version: &str, image: &str) -> anyhow::Result<String> {
    let name = kube_name(app_id);
    let labels = json!({
        "app.kubernetes.io/name": name,
        "app.kubernetes.io/version": version,
        "app.kubernetes.io/component": "connector",
    });
    let selector = json!({ "app.kubernetes.io/name": name });
    let probe = |path: &str, period: u32| {
        json!({
            "httpGet": { "path": path, "port": "http" },
            "periodSeconds": period,
            "timeoutSeconds": 2,
            "failureThreshold": 3,
        })
    };
    let deployment = json!({
        "apiVersion": "apps/v1",
        "kind": "Deployment",
        "metadata": { "name": name, "labels": labels },
        "spec": {
            "replicas": 2,
            "selector": { "matchLabels": selector },
            "template": {
                "metadata": { "labels": labels },
                "spec": {
                    "automountServiceAccountToken": false,
                    "terminationGracePeriodSeconds": SERVE_GRACE_SECONDS + KILL_MARGIN_SECONDS,
                    "securityContext": {
                        "runAsNonRoot": true,
                        "runAsUser": UID,
                        "runAsGroup": UID,
                        "seccompProfile": { "type": "RuntimeDefault" },
                    },
                    "containers": [{
                        "name": "connector",
                        "image": image,
                        "imagePullPolicy": "IfNotPresent",
                        "ports": [{ "name": "http", "containerPort": PORT, "protocol": "TCP" }],
                        "env": [
                            {
                                "name": "CONNECTOR_SERVE_TOKEN",
                                "valueFrom": { "secretKeyRef": { "name": secret_name(app_id), "key": "token" } },
                            },
                            { "name": "CONNECTOR_SERVE_GRACE", "value": SERVE_GRACE_SECONDS.to_string() },
                        ],
                        "livenessProbe": probe("/healthz", 10),
                        "readinessProbe": probe("/readyz", 5),
                        "resources": {
                            "requests": { "cpu": "100m", "memory": "64Mi" },
                            "limits": { "cpu": "1", "memory": "256Mi" },
                        },
                        "securityContext": {
                            "runAsNonRoot": true,
                            "runAsUser": UID,
                            "runAsGroup": UID,
                            "readOnlyRootFilesystem": true,
                            "allowPrivilegeEscalation": false,
                            "privileged": false,
                            "capabilities": { "drop": ["ALL"] },
                        },
                    }],
                },
            },
        },
    });
    let service = json!({
        "apiVersion": "v1",
        "kind": "Service",
        "metadata": { "name": name, "labels": labels },
        "spec": {
            "selector": selector,
            "ports": [{ "name": "http", "port": PORT, "targetPort": "http", "protocol": "TCP" }],
        },
    });
    let mut out = String::new();
    for document in [deployment, service] {
        out.push_str("---\n");
        out.push_str(&yaml_serde::to_string(&document)?);
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_manifest_runs_the_image_locked_down_with_the_token_from_a_secret() {
        let text = manifest("Mock_Connector", "0.1.0", "localhost/mock:0.1.0").unwrap();
        for needle in [
            "kind: Deployment",
            "kind: Service",
            "runAsNonRoot: true",
            "readOnlyRootFilesystem: true",
            "- ALL",
            "path: /healthz",
            "path: /readyz",
            "name: mock-connector-serve-token",
            "image: localhost/mock:0.1.0",
            "terminationGracePeriodSeconds: 35",
        ] {
            assert!(text.contains(needle), "{needle} missing from\n{text}");
        }
        // serve's grace, set explicitly, ends before the kubelet's kill.
        let deployment: serde_json::Value =
            yaml_serde::from_str(text.split("---\n").nth(1).unwrap()).unwrap();
        let pod = &deployment["spec"]["template"]["spec"];
        let env = pod["containers"][0]["env"].as_array().unwrap();
        let grace = env
            .iter()
            .find(|var| var["name"] == "CONNECTOR_SERVE_GRACE")
            .and_then(|var| var["value"].as_str())
            .unwrap_or_else(|| panic!("no CONNECTOR_SERVE_GRACE in\n{text}"));
        let grace: u64 = grace.parse().unwrap();
        assert_eq!(
            grace, 30,
            "Kubernetes' default terminationGracePeriodSeconds"
        );
        let period = pod["terminationGracePeriodSeconds"].as_u64().unwrap();
        assert!(period > grace, "{period} <= {grace}");
    }
}

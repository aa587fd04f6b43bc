//! A type that does not implement `Connector`, given to `Integration::builder`.

use connector_sdk::Integration;

struct NotAConnector;

fn main() {
    let _integration = Integration::builder(NotAConnector, "demo", "1.0.0").build();
}

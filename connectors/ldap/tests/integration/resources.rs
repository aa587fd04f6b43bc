//! `list_resources`: the directory, then its organizational units, at every page size.

use rstest::rstest;

use crate::slapd::{BASE_DN, UNITS};
use crate::support::{Call, exactly_once, field, lower};

#[rstest]
#[case::one(1)]
#[case::two(2)]
#[case::three(3)]
#[case::all_at_once(100)]
fn the_directory_comes_first_then_every_unit_once(#[case] size: u32) {
    let pages = Call::new("list_resources").pages(size);
    let first = &pages[0][0];
    assert_eq!(first["integration_specific_id"], BASE_DN);
    assert_eq!(first["resource_type"], "directory");
    let units: Vec<_> = pages.iter().flatten().skip(1).collect();
    assert!(
        units
            .iter()
            .all(|u| u["resource_type"] == "organizational_unit")
    );
    let ids = exactly_once(field(&pages, "integration_specific_id"));
    let mut expected = lower(UNITS.iter().map(|ou| format!("ou={ou},{BASE_DN}")));
    expected.insert(BASE_DN.to_owned());
    assert_eq!(lower(ids), expected);
    let labels = field(&pages, "label");
    for ou in UNITS {
        assert!(labels.iter().any(|l| l == ou), "{ou} in {labels:?}");
    }
}

#[test]
fn units_carry_their_description() {
    let resources = Call::new("list_resources").ok();
    let staff = resources
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["label"] == "staff")
        .unwrap()
        .clone();
    assert_eq!(staff["extra_data"]["description"], "The staff unit");
}

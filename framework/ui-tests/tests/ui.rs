//! Compile-time guarantees of capability registration (trybuild).
//!
//! If a message changes after an edit of the capability macros or their docs, review the diff
//! and regenerate.
//!
//! Registering a capability the connector does not implement, or implementing one with the
//! wrong request, response or a non-`Send` future, must not compile, and the compiler must say
//! what to write. The expected messages are committed in `tests/ui/fail/*.stderr`; regenerate
//! them with `TRYBUILD=overwrite cargo test -p connector-sdk-ui-tests`.
//!
//! Compiler messages change between releases, so the test runs only on the pinned toolchain.

#[rustversion::attr(not(stable(1.95)), ignore)]
#[test]
fn capability_registration_is_checked_at_compile_time() {
    let cases = trybuild::TestCases::new();
    cases.compile_fail("tests/ui/fail/*.rs");
    cases.pass("tests/ui/pass/*.rs");
}

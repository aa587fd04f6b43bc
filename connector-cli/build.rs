//! The scaffold templates are compiled into the `connector` binary (`include_dir!`), which cargo
//! does not track on stable: a changed template must rebuild the crate.

fn main() {
    println!("cargo::rerun-if-changed=templates");
}

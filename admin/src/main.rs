//! `hearth`: the one binary. Thin: the commands are the control plane's.

fn main() -> std::process::ExitCode {
    hearth_admin::cli::main()
}

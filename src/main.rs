//! The `handbook` binary: the command line lives in the library ([`handbook::cmd`]).

use std::process::ExitCode;

fn main() -> ExitCode {
    handbook::cmd::main()
}

#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

//! `onnx-edge keygen --out DIR/NAME`: an Ed25519 key pair for signing manifests.
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::{bail, Context, Result};
use base64::engine::general_purpose::STANDARD as BASE64;
use base64::Engine;

/// Arguments of `keygen`.
#[derive(clap::Args)]
pub struct Args {
    /// Writes OUT.key (secret, mode 0600) and OUT.pub (public key, base64).
    #[arg(long)]
    out: PathBuf,
    /// Replace existing files.
    #[arg(long)]
    force: bool,
}

/// Writes the key pair and prints the public key.
pub fn run(args: Args) -> Result<ExitCode> {
    let key_path = args.out.with_extension("key");
    let pub_path = args.out.with_extension("pub");
    if !args.force && (key_path.exists() || pub_path.exists()) {
        bail!(
            "{} or {} exists; pass --force to replace",
            key_path.display(),
            pub_path.display()
        );
    }
    if let Some(dir) = key_path.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir)?;
    }
    let mut secret = [0u8; 32];
    getrandom::fill(&mut secret).map_err(|e| anyhow::anyhow!("no randomness: {e}"))?;
    write_private(&key_path, &BASE64.encode(secret))?;
    let public = onnx_edge::integrity::public_key_base64(&secret);
    std::fs::write(&pub_path, format!("{public}\n"))
        .with_context(|| format!("writing {}", pub_path.display()))?;
    println!("{public}");
    eprintln!(
        "wrote {} (keep it secret) and {}",
        key_path.display(),
        pub_path.display()
    );
    Ok(ExitCode::SUCCESS)
}

#[cfg(unix)]
fn write_private(path: &std::path::Path, text: &str) -> Result<()> {
    use std::io::Write;
    use std::os::unix::fs::OpenOptionsExt;
    let mut f = std::fs::OpenOptions::new()
        .write(true)
        .create(true)
        .truncate(true)
        .mode(0o600)
        .open(path)
        .with_context(|| format!("writing {}", path.display()))?;
    f.write_all(format!("{text}\n").as_bytes())?;
    Ok(())
}

#[cfg(not(unix))]
fn write_private(path: &std::path::Path, text: &str) -> Result<()> {
    std::fs::write(path, format!("{text}\n")).with_context(|| format!("writing {}", path.display()))
}

//! One module per subcommand.
pub mod alias;
pub mod inspect;
pub mod keygen;
pub mod publish;
pub mod rollout;
pub mod run;
pub mod serve;
pub mod verify;

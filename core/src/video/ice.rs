//! The ICE servers a browser gets when it joins: STUN and TURN from the
//! configuration, with TURN credentials that expire (the TURN REST scheme
//! coturn implements as `use-auth-secret`: the user name is
//! `<expiry unix time>:<user>` and the password is
//! `base64(HMAC-SHA1(secret, user name))`).

use base64::Engine;
use chrono::Utc;
use hmac::{Hmac, Mac};
use secrecy::ExposeSecret;
use serde::Serialize;
use uuid::Uuid;

use crate::config::{Config, IcePolicy};

/// One `RTCIceServer`.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct IceServer {
    /// Its URLs.
    pub urls: Vec<String>,
    /// The TURN user name.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub username: Option<String>,
    /// The TURN password.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub credential: Option<String>,
}

/// An `RTCConfiguration`'s ICE part.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
#[serde(rename_all = "camelCase")]
pub struct IceConfig {
    /// The servers.
    pub ice_servers: Vec<IceServer>,
    /// `all` or `relay`.
    pub ice_transport_policy: IcePolicy,
}

/// The ICE configuration for `user`, with TURN credentials valid from now
/// for `config.turn_credential_secs`.
pub fn for_user(config: &Config, user: Uuid) -> IceConfig {
    let mut ice_servers = Vec::new();
    if !config.stun_urls.is_empty() {
        ice_servers.push(IceServer {
            urls: config.stun_urls.clone(),
            username: None,
            credential: None,
        });
    }
    if !config.turn_urls.is_empty() {
        if let Some(secret) = &config.turn_secret {
            let expires =
                Utc::now().timestamp() + i64::try_from(config.turn_credential_secs).unwrap_or(3600);
            let username = format!("{expires}:{}", user.simple());
            ice_servers.push(IceServer {
                urls: config.turn_urls.clone(),
                credential: Some(turn_password(secret.expose_secret(), &username)),
                username: Some(username),
            });
        } else {
            tracing::warn!("turn_urls are set without turn_secret: TURN is not offered");
        }
    }
    IceConfig {
        ice_servers,
        ice_transport_policy: config.ice_transport_policy,
    }
}

/// `base64(HMAC-SHA1(secret, username))`.
pub fn turn_password(secret: &str, username: &str) -> String {
    // HMAC takes a key of any length.
    let mut mac = Hmac::<sha1::Sha1>::new_from_slice(secret.as_bytes())
        .unwrap_or_else(|_| unreachable!("HMAC accepts any key length"));
    mac.update(username.as_bytes());
    base64::engine::general_purpose::STANDARD.encode(mac.finalize().into_bytes())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Checked against OpenSSL, which coturn also uses for it.
    #[test]
    fn the_password_is_coturns() {
        // Computed independently: printf '1433898686:ninefingers' | openssl dgst -sha1 -hmac north -binary | base64
        assert_eq!(
            turn_password("north", "1433898686:ninefingers"),
            "Wf2p4FRVJjT+VVPOmCJ8K12ptHM="
        );
    }

    #[test]
    fn turn_needs_its_secret_and_the_name_expires() {
        let mut config = Config {
            stun_urls: vec!["stun:127.0.0.1:3478".into()],
            turn_urls: vec!["turn:127.0.0.1:3478?transport=udp".into()],
            ..Config::default()
        };
        let user = Uuid::new_v4();
        assert_eq!(
            for_user(&config, user).ice_servers.len(),
            1,
            "no secret, no TURN"
        );
        config.turn_secret = Some("s3cret".to_owned().into());
        let ice = for_user(&config, user);
        let turn = &ice.ice_servers[1];
        let name = turn.username.as_deref().expect("user name");
        let (expires, who) = name.split_once(':').expect("expiry:user");
        let expires: i64 = expires.parse().expect("a time");
        let left = expires - Utc::now().timestamp();
        assert!((3590..=3600).contains(&left), "{left}");
        assert_eq!(who, user.simple().to_string());
        assert_eq!(
            turn.credential.as_deref(),
            Some(turn_password("s3cret", name).as_str())
        );
    }
}

//! The demo data `hearth dev` starts with: a reseller, two hubs that look
//! visibly different, professionals, an HR admin per hub, an employee and a
//! private client. Seeded once; a second start finds it and leaves it be.

use argon2::password_hash::{rand_core::OsRng, PasswordHasher, SaltString};
use argon2::Argon2;
use hearth_tenants::{create_tenant, NewTenant, TenantMigrator, TenantTx};
use sqlx::PgPool;
use uuid::Uuid;

/// The password every demo account has.
pub const DEMO_PASSWORD: &str = "hearth-demo-2026";

/// A demo account, printed on start.
#[derive(Debug, Clone)]
pub struct DemoLogin {
    /// What the account is for.
    pub role: &'static str,
    /// Its email.
    pub email: &'static str,
    /// The hub it belongs to, if any.
    pub hub: Option<&'static str>,
}

struct Professional {
    email: &'static str,
    name: &'static str,
    title: &'static str,
    specialties: &'static [&'static str],
    languages: &'static [&'static str],
    country: &'static str,
    kind: &'static str,
    timezone: &'static str,
    services: &'static [Service],
}

/// A demo service: name, mode, session type, minutes, price in cents,
/// currency, credits.
struct Service(
    &'static str,
    &'static str,
    &'static str,
    i32,
    i64,
    &'static str,
    i32,
);

const INDIVIDUAL_EUR: Service = Service(
    "Individual session",
    "video",
    "individual",
    50,
    12_000,
    "EUR",
    1,
);

/// Weekly hours of every demo professional, in their own timezone:
/// Monday to Friday, 09:00 to 17:00.
const WEEKLY_HOURS: (&str, &str) = ("09:00", "17:00");

const PROFESSIONALS: &[Professional] = &[
    Professional {
        email: "anna@pro.example",
        name: "Anna Jónsdóttir",
        title: "Clinical psychologist",
        specialties: &["Anxiety", "Stress", "Burnout"],
        languages: &["is", "en"],
        country: "IS",
        kind: "psychologist",
        timezone: "Atlantic/Reykjavik",
        services: &[
            Service(
                "Individual session",
                "video",
                "individual",
                50,
                1_800_000,
                "ISK",
                1,
            ),
            Service(
                "Couples session",
                "video",
                "couples",
                80,
                2_700_000,
                "ISK",
                2,
            ),
        ],
    },
    Professional {
        email: "ben@pro.example",
        name: "Ben Carter",
        title: "Career coach",
        specialties: &["Career change", "Leadership"],
        languages: &["en"],
        country: "GB",
        kind: "coach",
        timezone: "Europe/London",
        services: &[
            Service(
                "Coaching session",
                "video",
                "individual",
                50,
                10_000,
                "GBP",
                1,
            ),
            Service("Phone check-in", "phone", "individual", 25, 5_000, "GBP", 1),
        ],
    },
    Professional {
        email: "chloe@pro.example",
        name: "Chloé Martin",
        title: "Counsellor",
        specialties: &["Relationships", "Grief"],
        languages: &["fr", "en"],
        country: "FR",
        kind: "counsellor",
        timezone: "Europe/Paris",
        services: &[
            INDIVIDUAL_EUR,
            Service("Couples session", "video", "couples", 80, 18_000, "EUR", 2),
        ],
    },
    Professional {
        email: "david@pro.example",
        name: "David Okafor",
        title: "Psychologist",
        specialties: &["Sleep", "Depression", "Stress"],
        languages: &["en"],
        country: "IE",
        kind: "psychologist",
        timezone: "Europe/Dublin",
        services: &[INDIVIDUAL_EUR],
    },
];

/// The demo accounts, whether or not this start seeded them.
pub fn logins() -> Vec<DemoLogin> {
    let mut logins = vec![
        DemoLogin {
            role: "operator",
            email: "operator@hearth.localhost",
            hub: None,
        },
        DemoLogin {
            role: "reseller admin",
            email: "reseller@northwind.example",
            hub: None,
        },
        DemoLogin {
            role: "HR admin",
            email: "hr@acme.example",
            hub: Some("acme"),
        },
        DemoLogin {
            role: "HR admin",
            email: "hr@globex.example",
            hub: Some("globex"),
        },
        DemoLogin {
            role: "employee",
            email: "employee@acme.example",
            hub: Some("acme"),
        },
        DemoLogin {
            role: "private client",
            email: "client@example.com",
            hub: None,
        },
    ];
    logins.extend(PROFESSIONALS.iter().map(|p| DemoLogin {
        role: "professional",
        email: p.email,
        hub: None,
    }));
    logins
}

/// Seeds the demo data unless it is there. Returns whether it seeded.
pub async fn seed(pool: &PgPool, migrator: &TenantMigrator) -> anyhow::Result<bool> {
    let exists: bool =
        sqlx::query_scalar("SELECT EXISTS (SELECT 1 FROM resellers WHERE slug = 'northwind')")
            .fetch_one(pool)
            .await?;
    if exists {
        return Ok(false);
    }
    let password_hash = tokio::task::spawn_blocking(|| {
        let salt = SaltString::generate(&mut OsRng);
        Argon2::default()
            .hash_password(DEMO_PASSWORD.as_bytes(), &salt)
            .map(|h| h.to_string())
            .map_err(|e| anyhow::anyhow!("hashing the demo password: {e}"))
    })
    .await??;

    let mut tx = pool.begin().await?;
    let reseller_id =
        crate::resellers::create_reseller(&mut tx, "northwind", "Northwind Wellbeing Partners")
            .await?;
    let mut ids = std::collections::HashMap::new();
    for login in logins() {
        let id = Uuid::new_v4();
        let name = match login.email {
            "operator@hearth.localhost" => "Olga Operator",
            "reseller@northwind.example" => "Rita Reseller",
            "hr@acme.example" => "Hanna Hughes",
            "hr@globex.example" => "Hugo Grant",
            "employee@acme.example" => "Emil Evans",
            "client@example.com" => "Clara Client",
            email => PROFESSIONALS
                .iter()
                .find(|p| p.email == email)
                .map_or(email, |p| p.name),
        };
        sqlx::query(
            "INSERT INTO users (id, email, name, password_hash, email_verified_at, is_operator) \
             VALUES ($1, $2, $3, $4, now(), $5)",
        )
        .bind(id)
        .bind(login.email)
        .bind(name)
        .bind(&password_hash)
        .bind(login.role == "operator")
        .execute(&mut *tx)
        .await?;
        ids.insert(login.email, id);
    }
    for p in PROFESSIONALS {
        let id = ids[p.email];
        sqlx::query(
            "INSERT INTO professionals (user_id, title, bio, specialties, languages, country, \
                                        kind, timezone, verified_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, now())",
        )
        .bind(id)
        .bind(p.title)
        .bind(format!(
            "{} works with adults on {}.",
            p.name,
            p.specialties.join(", ").to_lowercase()
        ))
        .bind(p.specialties)
        .bind(p.languages)
        .bind(p.country)
        .bind(p.kind)
        .bind(p.timezone)
        .execute(&mut *tx)
        .await?;
        sqlx::query("UPDATE users SET timezone = $2 WHERE id = $1")
            .bind(id)
            .bind(p.timezone)
            .execute(&mut *tx)
            .await?;
        for Service(name, mode, session_type, minutes, price_cents, currency, credits) in p.services
        {
            sqlx::query(
                "INSERT INTO services (id, professional_id, name, mode, session_type, \
                                       duration_minutes, price_cents, currency, credits) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
            )
            .bind(Uuid::new_v4())
            .bind(id)
            .bind(name)
            .bind(mode)
            .bind(session_type)
            .bind(minutes)
            .bind(price_cents)
            .bind(currency)
            .bind(credits)
            .execute(&mut *tx)
            .await?;
        }
        sqlx::query(
            "INSERT INTO availability_rules (professional_id, weekday, start_time, end_time) \
             SELECT $1, d, $2::time, $3::time FROM generate_series(1, 5) d",
        )
        .bind(id)
        .bind(WEEKLY_HOURS.0)
        .bind(WEEKLY_HOURS.1)
        .execute(&mut *tx)
        .await?;
    }
    sqlx::query("INSERT INTO reseller_admins (reseller_id, user_id) VALUES ($1, $2)")
        .bind(reseller_id)
        .bind(ids["reseller@northwind.example"])
        .execute(&mut *tx)
        .await?;
    tx.commit().await?;

    struct Hub {
        slug: &'static str,
        name: &'static str,
        welcome: &'static str,
        brand: &'static str,
        accent: &'static str,
        theme: &'static str,
        credits: i32,
        hr: &'static str,
        employees: &'static [&'static str],
        roster: &'static [&'static str],
    }
    let hubs = [
        Hub {
            slug: "acme",
            name: "Acme Ltd",
            welcome: "Talk to someone who listens. Every Acme employee can book confidential sessions with our professionals.",
            brand: "#1f6f5c",
            accent: "#f4b942",
            theme: "default",
            credits: 6,
            hr: "hr@acme.example",
            employees: &["employee@acme.example"],
            roster: &["anna@pro.example", "ben@pro.example", "chloe@pro.example", "david@pro.example"],
        },
        Hub {
            slug: "globex",
            name: "Globex Corporation",
            welcome: "Your wellbeing matters at Globex. Book a coach or a psychologist, on us.",
            brand: "#5b3fa6",
            accent: "#e0607e",
            theme: "calm",
            credits: 12,
            hr: "hr@globex.example",
            employees: &[],
            roster: &["ben@pro.example", "david@pro.example"],
        },
    ];
    for hub in hubs {
        let tenant = create_tenant(
            pool,
            migrator,
            &NewTenant {
                slug: hub.slug.into(),
                name: hub.name.into(),
                reseller_id: Some(reseller_id),
            },
        )
        .await?;
        let mut tx = TenantTx::begin(pool, &tenant).await?;
        sqlx::query(
            "UPDATE hub_settings SET welcome_text = $1, brand_color = $2, accent_color = $3, \
             theme = $4, credits_per_period = $5",
        )
        .bind(hub.welcome)
        .bind(hub.brand)
        .bind(hub.accent)
        .bind(hub.theme)
        .bind(hub.credits)
        .execute(&mut *tx)
        .await?;
        // Anyone with an address at the company's domain may claim its credits.
        sqlx::query("INSERT INTO eligibility_domains (domain) VALUES ($1)")
            .bind(format!("{}.example", hub.slug))
            .execute(&mut *tx)
            .await?;
        sqlx::query("INSERT INTO members (user_id, role) VALUES ($1, 'hr_admin')")
            .bind(ids[hub.hr])
            .execute(&mut *tx)
            .await?;
        for email in hub.employees {
            sqlx::query("INSERT INTO members (user_id, role) VALUES ($1, 'employee')")
                .bind(ids[email])
                .execute(&mut *tx)
                .await?;
        }
        for (position, email) in hub.roster.iter().enumerate() {
            sqlx::query("INSERT INTO roster (professional_id, position) VALUES ($1, $2)")
                .bind(ids[email])
                .bind(i32::try_from(position).unwrap_or(i32::MAX))
                .execute(&mut *tx)
                .await?;
        }
        tx.commit().await?;
    }
    Ok(true)
}

//! The demo data `hearth dev` starts with: a reseller, two hubs that look
//! visibly different, professionals, an HR admin per hub, an employee and a
//! private client. Seeded once; a second start finds it and leaves it be.

use hearth_core::accounts;
use hearth_core::credits::claim::{add_member, Role};
use hearth_core::credits::CreditPolicy;
use hearth_core::hub_admin::{branding, eligibility, roster};
use hearth_core::professionals;
use hearth_core::professionals::profile::Profile;
use hearth_core::professionals::services::NewService;
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

/// A demo service: name, mode, session type, minutes, price in the currency's minor units,
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
                18_000,
                "ISK",
                1,
            ),
            Service("Couples session", "video", "couples", 80, 27_000, "ISK", 2),
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
    let exists: bool = sqlx::query_scalar!(
        "SELECT EXISTS (SELECT 1 FROM resellers WHERE slug = 'northwind') AS \"exists!\""
    )
    .fetch_one(pool)
    .await?;
    if exists {
        return Ok(false);
    }
    let password_hash = hearth_core::accounts::password::hash(DEMO_PASSWORD.to_owned()).await?;

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
        let timezone = PROFESSIONALS
            .iter()
            .find(|p| p.email == login.email)
            .map_or("UTC", |p| p.timezone);
        accounts::create_user(
            &mut tx,
            &accounts::NewUser {
                id,
                email: login.email,
                name,
                password_hash: &password_hash,
                timezone,
                language: "en",
            },
        )
        .await?;
        accounts::mark_email_verified(&mut tx, id).await?;
        if login.role == "operator" {
            crate::operators::grant(&mut tx, id).await?;
        }
        ids.insert(login.email, id);
    }
    for p in PROFESSIONALS {
        let id = ids[p.email];
        let profile = Profile {
            name: p.name.to_owned(),
            title: p.title.to_owned(),
            bio: format!(
                "{} works with adults on {}.",
                p.name,
                p.specialties.join(", ").to_lowercase()
            ),
            specialties: p.specialties.iter().map(|s| (*s).to_owned()).collect(),
            languages: p.languages.iter().map(|s| (*s).to_owned()).collect(),
            country: p.country.to_owned(),
            kind: p.kind.to_owned(),
            timezone: p.timezone.to_owned(),
            // The defaults a new profile gets (migrations/public/…_booking.sql).
            buffer_minutes: 10,
            min_notice_minutes: 720,
            horizon_days: 60,
        };
        professionals::profile::save_profile(&mut tx, id, &profile).await?;
        professionals::verify::verify(&mut tx, p.email).await?;
        for Service(name, mode, session_type, minutes, price_minor, currency, credits) in p.services
        {
            let service = NewService {
                name: (*name).to_owned(),
                mode: (*mode).to_owned(),
                session_type: (*session_type).to_owned(),
                duration_minutes: *minutes,
                price_minor: *price_minor,
                currency: (*currency).to_owned(),
                credits: *credits,
                // Anna's private clients pay when booking (the demo's
                // Payments tab has a bill to pay at once); the others bill
                // after the session.
                pay_when: if p.email == "anna@pro.example" {
                    "booking"
                } else {
                    "after"
                }
                .to_owned(),
            };
            professionals::services::add(&mut tx, id, &service).await?;
        }
        let (start, end) = (
            chrono::NaiveTime::parse_from_str(WEEKLY_HOURS.0, "%H:%M")?,
            chrono::NaiveTime::parse_from_str(WEEKLY_HOURS.1, "%H:%M")?,
        );
        for weekday in 1..=5 {
            professionals::availability::insert_rule(&mut tx, id, weekday, start, end).await?;
        }
    }
    crate::resellers::add_admin(&mut tx, reseller_id, ids["reseller@northwind.example"]).await?;
    // The private client is Anna's: she books Anna on the platform and pays
    // on her Payments tab.
    accounts::invitations::connect(&mut tx, ids["anna@pro.example"], ids["client@example.com"])
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
        branding::write_draft(&mut tx, hub.welcome, hub.brand, hub.accent, hub.theme).await?;
        branding::publish_draft(&mut tx).await?;
        let mut policy = CreditPolicy::load(&mut tx).await?;
        policy.credits_per_period = hub.credits;
        policy.save(&mut tx).await?;
        // Anyone with an address at the company's domain may claim its credits.
        eligibility::add_domain_row(&mut tx, &format!("{}.example", hub.slug)).await?;
        add_member(&mut tx, ids[hub.hr], Role::HrAdmin).await?;
        for email in hub.employees {
            add_member(&mut tx, ids[email], Role::Employee).await?;
        }
        for email in hub.roster {
            roster::append(&mut tx, ids[email]).await?;
        }
        tx.commit().await?;
    }
    Ok(true)
}

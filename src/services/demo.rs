//! Demo data so a newcomer can look around: one organisation, a class, three students
//! and a course assigned to the class. Idempotent.

use super::{Portail, now};
use crate::Result;
use crate::auth;

pub const DEMO_ORGANISATION: &str = "Organisme de démonstration";

/// What the demo seed created: student e-mails with their activation codes.
#[derive(Debug, Clone, Default)]
pub struct DemoSeed {
    pub created: bool,
    pub students: Vec<(String, String)>,
}

const STUDENTS: [(&str, &str, &str); 3] = [
    ("alice.martin@demo.portail.local", "Alice", "Martin"),
    ("karim.benali@demo.portail.local", "Karim", "Benali"),
    ("lea.nguyen@demo.portail.local", "Léa", "Nguyen"),
];

const LESSONS: [(&str, &str); 3] = [
    (
        "Bienvenue",
        "# Bienvenue\n\nCe cours de démonstration montre **Portail**.\n\n- lisez chaque leçon\n- marquez-la *terminée*\n",
    ),
    (
        "Les bases du terminal",
        "## Se déplacer\n\nUtilisez `cd` et `ls`.\n\n```\ncd ~/projets\nls -la\n```\n",
    ),
    (
        "Pour aller plus loin",
        "Consultez la [documentation](https://www.debian.org/doc/).\n",
    ),
];

impl Portail {
    /// Seeds the demo data unless the demo organisation already exists.
    pub async fn seed_demo(&self) -> Result<DemoSeed> {
        let exists: Option<i64> =
            sqlx::query_scalar("SELECT id FROM organisations WHERE name = ?1")
                .bind(DEMO_ORGANISATION)
                .fetch_optional(self.pool())
                .await?;
        if exists.is_some() {
            return Ok(DemoSeed::default());
        }
        // Hash codes before the transaction: hashing is slow and must not hold the write lock.
        let mut students = Vec::new();
        for (email, first, last) in STUDENTS {
            let code = auth::generate_activation_code();
            let hash = auth::hash_activation_code(&code);
            students.push((email, first, last, code, hash));
        }
        let ts = now();
        let expires = ts + self.options().activation_ttl;
        let mut tx = self.pool().begin().await?;
        let org: i64 = sqlx::query_scalar(
            "INSERT INTO organisations (name, siret, address, contact_name, email, phone, website, \
             created_at, updated_at) VALUES (?1, '73282932000074', '1 rue de la Paix, 75002 Paris', \
             'Camille Durand', 'contact@demo.portail.local', '01 23 45 67 89', \
             'https://demo.portail.local', ?2, ?2) RETURNING id",
        )
        .bind(DEMO_ORGANISATION)
        .bind(ts)
        .fetch_one(&mut *tx)
        .await?;
        let class: i64 = sqlx::query_scalar(
            "INSERT INTO classes (organisation_id, name, start_date, end_date, created_at, updated_at) \
             VALUES (?1, 'Promotion 2026', '2026-09-01', '2027-06-30', ?2, ?2) RETURNING id",
        )
        .bind(org)
        .bind(ts)
        .fetch_one(&mut *tx)
        .await?;
        let mut out = DemoSeed {
            created: true,
            students: Vec::new(),
        };
        for (email, first, last, code, hash) in students {
            let id: i64 = sqlx::query_scalar(
                "INSERT INTO users (role, email, first_name, last_name, activation_code_hash, \
                 activation_expires_at, created_at, updated_at) \
                 VALUES ('student', ?1, ?2, ?3, ?4, ?5, ?6, ?6) \
                 ON CONFLICT (email) DO UPDATE SET updated_at = excluded.updated_at RETURNING id",
            )
            .bind(email)
            .bind(first)
            .bind(last)
            .bind(hash)
            .bind(expires)
            .bind(ts)
            .fetch_one(&mut *tx)
            .await?;
            for sql in [
                "INSERT OR IGNORE INTO organisation_members (organisation_id, student_id, added_at) VALUES (?1, ?2, ?3)",
                "INSERT OR IGNORE INTO class_members (class_id, student_id, added_at) VALUES (?1, ?2, ?3)",
            ] {
                let target = if sql.contains("class_members") {
                    class
                } else {
                    org
                };
                sqlx::query(sql)
                    .bind(target)
                    .bind(id)
                    .bind(ts)
                    .execute(&mut *tx)
                    .await?;
            }
            out.students.push((email.to_string(), code));
        }
        let course: i64 = sqlx::query_scalar(
            "INSERT INTO courses (title, description, objectives, duration_hours, level, status, \
             created_at, updated_at) VALUES ('Découvrir le terminal', \
             'Premiers pas dans un terminal Unix.', \
             '[\"Ouvrir un terminal\",\"Naviguer dans les dossiers\"]', 3.5, 'Débutant', \
             'published', ?1, ?1) RETURNING id",
        )
        .bind(ts)
        .fetch_one(&mut *tx)
        .await?;
        for (pos, (title, body)) in LESSONS.iter().enumerate() {
            sqlx::query(
                "INSERT INTO lessons (course_id, position, title, body, created_at, updated_at) \
                 VALUES (?1, ?2, ?3, ?4, ?5, ?5)",
            )
            .bind(course)
            .bind(pos as i64 + 1)
            .bind(title)
            .bind(body)
            .bind(ts)
            .execute(&mut *tx)
            .await?;
        }
        sqlx::query(
            "INSERT INTO resources (course_id, kind, title, url, created_at) \
             VALUES (?1, 'link', 'Guide Debian', 'https://www.debian.org/doc/', ?2)",
        )
        .bind(course)
        .bind(ts)
        .execute(&mut *tx)
        .await?;
        sqlx::query(
            "INSERT INTO assignments (course_id, class_id, start_date, created_at) VALUES (?1, ?2, '2026-09-01', ?3)",
        )
        .bind(course)
        .bind(class)
        .bind(ts)
        .execute(&mut *tx)
        .await?;
        tx.commit().await?;
        Ok(out)
    }
}

#[cfg(test)]
mod tests {
    use crate::services::{CoreOptions, Portail};

    #[tokio::test]
    async fn demo_seed_is_idempotent_and_students_can_log_in() {
        let dir = tempfile::tempdir().unwrap();
        let p = Portail::open(dir.path(), CoreOptions::default())
            .await
            .unwrap();
        let seed = p.seed_demo().await.unwrap();
        assert!(seed.created);
        assert_eq!(seed.students.len(), 3);
        assert!(!p.seed_demo().await.unwrap().created);
        let (email, code) = &seed.students[0];
        let out = p.login(email, code, None).await.unwrap();
        assert!(out.via_activation_code);
        let n: i64 = sqlx::query_scalar("SELECT count(*) FROM class_members")
            .fetch_one(p.pool())
            .await
            .unwrap();
        assert_eq!(n, 3);
    }
}

//! Short-lived copies of what every public page needs (a location by slug, the
//! categories, the review links) and of the business's time zone every staff
//! page reads, so the form and the kiosk page are served
//! without a database round trip. Owner changes clear them at once; changes
//! made from the command line show within `TTL`.

use crate::db::Db;
use crate::domain::category::{self, Category};
use crate::domain::kiosk::{self, Device};
use crate::domain::location::{self, Location};
use crate::domain::profile::{self, Brand};
use crate::domain::review_link::{self, ReviewLink};
use crate::error::AppResult;
use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, RwLock};
use std::time::{Duration, Instant};

const TTL: Duration = Duration::from_secs(10);

struct Entry<T> {
    at: Instant,
    value: Arc<T>,
}

/// A kiosk and its location (`None` when the location is gone or inactive).
pub type Kiosk = (Device, Option<Location>);

/// The public-page cache.
#[derive(Default)]
pub struct PublicCache {
    /// Bumped by `clear`: a read that started before a change never stores
    /// what it read after the change cleared the cache.
    generation: AtomicU64,
    locations: RwLock<HashMap<String, Entry<Option<Location>>>>,
    categories: RwLock<Option<Entry<Vec<Category>>>>,
    review_links: RwLock<Option<Entry<Vec<ReviewLink>>>>,
    brand: RwLock<Option<Entry<Brand>>>,
    kiosks: RwLock<HashMap<String, Entry<Kiosk>>>,
    zone: RwLock<Option<Entry<chrono_tz::Tz>>>,
}

fn fresh<T>(entry: Option<&Entry<T>>) -> Option<Arc<T>> {
    entry
        .filter(|e| e.at.elapsed() < TTL)
        .map(|e| Arc::clone(&e.value))
}

impl PublicCache {
    /// The active location with this slug.
    pub async fn location(&self, db: &Db, slug: &str) -> AppResult<Option<Location>> {
        if let Some(hit) = self.locations.read().ok().and_then(|m| fresh(m.get(slug))) {
            return Ok((*hit).clone());
        }
        let key = slug.to_owned();
        let generation = self.generation.load(Ordering::SeqCst);
        let found = db
            .read(move |c| location::find_by_slug(c, &key))
            .await?
            .filter(|l| l.active);
        if let Some(mut map) = self.still(generation, &self.locations) {
            if map.len() > 10_000 {
                map.clear();
            }
            // Only real slugs are remembered, so junk addresses cannot fill memory.
            if found.is_some() {
                map.insert(
                    slug.to_owned(),
                    Entry {
                        at: Instant::now(),
                        value: Arc::new(found.clone()),
                    },
                );
            }
        }
        Ok(found)
    }

    /// Active categories, in order.
    pub async fn categories(&self, db: &Db) -> AppResult<Arc<Vec<Category>>> {
        self.single(db, &self.categories, category::list_active)
            .await
    }

    /// Review links, in order.
    pub async fn review_links(&self, db: &Db) -> AppResult<Arc<Vec<ReviewLink>>> {
        self.single(db, &self.review_links, review_link::list).await
    }

    /// The business name and logo version shown on public pages.
    pub async fn brand(&self, db: &Db) -> AppResult<Arc<Brand>> {
        self.single(db, &self.brand, |c| Ok(profile::get(c)?.brand()))
            .await
    }

    /// The business's time zone (workflow settings), for staff pages.
    pub async fn business_zone(&self, db: &Db) -> AppResult<chrono_tz::Tz> {
        Ok(*self
            .single(
                db,
                &self.zone,
                |c| Ok(crate::domain::workflow::get(c)?.tz()),
            )
            .await?)
    }

    /// A one-value slot: the fresh copy, or a read that refills it.
    async fn single<T: Send + Sync + 'static>(
        &self,
        db: &Db,
        slot: &RwLock<Option<Entry<T>>>,
        load: impl FnOnce(&mut crate::db::DbConnection) -> AppResult<T> + Send + 'static,
    ) -> AppResult<Arc<T>> {
        if let Some(hit) = slot.read().ok().and_then(|c| fresh(c.as_ref())) {
            return Ok(hit);
        }
        let generation = self.generation.load(Ordering::SeqCst);
        let value = Arc::new(db.read(load).await?);
        if let Some(mut slot) = self.still(generation, slot) {
            *slot = Some(Entry {
                at: Instant::now(),
                value: Arc::clone(&value),
            });
        }
        Ok(value)
    }

    /// The write lock on `lock`, unless `clear` ran since `generation` was read.
    fn still<'a, T>(
        &self,
        generation: u64,
        lock: &'a RwLock<T>,
    ) -> Option<std::sync::RwLockWriteGuard<'a, T>> {
        let guard = lock.write().ok()?;
        (self.generation.load(Ordering::SeqCst) == generation).then_some(guard)
    }

    /// The kiosk a device token belongs to, with its location (`None` when the
    /// location is gone or inactive). Revoking clears this cache at once.
    pub async fn kiosk(
        &self,
        db: &Db,
        token: &str,
    ) -> AppResult<Option<(Device, Option<Location>)>> {
        let key = crate::tokens::hash_token(token);
        if let Some(hit) = self.kiosks.read().ok().and_then(|m| fresh(m.get(&key))) {
            return Ok(Some((*hit).clone()));
        }
        let token = token.to_owned();
        let generation = self.generation.load(Ordering::SeqCst);
        let found = db
            .read(move |c| {
                let Some(device) = kiosk::device_for_token(c, &token)? else {
                    return Ok(None);
                };
                let place = location::find(c, device.location_id)?.filter(|l| l.active);
                Ok(Some((device, place)))
            })
            .await?;
        if let (Some(value), Some(mut map)) = (&found, self.still(generation, &self.kiosks)) {
            if map.len() > 10_000 {
                map.clear();
            }
            map.insert(
                key,
                Entry {
                    at: Instant::now(),
                    value: Arc::new(value.clone()),
                },
            );
        }
        Ok(found)
    }

    /// Forgets everything (after an owner changes settings).
    pub fn clear(&self) {
        self.generation.fetch_add(1, Ordering::SeqCst);
        if let Ok(mut m) = self.locations.write() {
            m.clear();
        }
        if let Ok(mut c) = self.categories.write() {
            *c = None;
        }
        if let Ok(mut r) = self.review_links.write() {
            *r = None;
        }
        if let Ok(mut b) = self.brand.write() {
            *b = None;
        }
        if let Ok(mut k) = self.kiosks.write() {
            k.clear();
        }
        if let Ok(mut z) = self.zone.write() {
            *z = None;
        }
    }
}

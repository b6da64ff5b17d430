//! The one table map both backends share. Only types SQLite and PostgreSQL both
//! support: `BigInt` ids, `Text`, `SmallInt`/`Integer`, `Bool`, naive UTC `Timestamp`.

diesel::table! {
    users (id) {
        id -> BigInt,
        email -> Text,
        name -> Text,
        role -> Text,
        password_hash -> Text,
        active -> Bool,
        created_at -> Timestamp,
        language -> Text,
    }
}

diesel::table! {
    sessions (id) {
        id -> BigInt,
        token_hash -> Text,
        user_id -> BigInt,
        csrf_token -> Text,
        created_at -> Timestamp,
        last_seen_at -> Timestamp,
        expires_at -> Timestamp,
        second_factor_pending -> Bool,
    }
}

diesel::table! {
    setup_tokens (id) {
        id -> BigInt,
        token_hash -> Text,
        created_at -> Timestamp,
    }
}

diesel::table! {
    locations (id) {
        id -> BigInt,
        slug -> Text,
        name -> Text,
        time_zone -> Text,
        default_language -> Text,
        active -> Bool,
        created_at -> Timestamp,
        address -> Text,
        opening_hours -> Text,
        first_response_minutes -> Integer,
        resolution_minutes -> Integer,
        gift_budget_cents -> Nullable<BigInt>,
        gift_approval_above_cents -> Nullable<BigInt>,
        languages -> Text,
    }
}

diesel::table! {
    categories (id) {
        id -> BigInt,
        slug -> Text,
        name_nl -> Text,
        name_en -> Text,
        position -> Integer,
        active -> Bool,
        name_fr -> Text,
        name_de -> Text,
    }
}

diesel::table! {
    review_links (id) {
        id -> BigInt,
        label -> Text,
        url -> Text,
        position -> Integer,
    }
}

diesel::table! {
    feedback (id) {
        id -> BigInt,
        reference -> Text,
        location_id -> BigInt,
        face -> SmallInt,
        category_id -> Nullable<BigInt>,
        message -> Nullable<Text>,
        customer_name -> Nullable<Text>,
        customer_email -> Nullable<Text>,
        contact_consent -> Bool,
        language -> Text,
        channel -> Text,
        spot -> Nullable<Text>,
        idempotency_key -> Nullable<Text>,
        quarantine_reason -> Nullable<Text>,
        created_at -> Timestamp,
        consent_wording_id -> Nullable<BigInt>,
        anonymised_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    tickets (id) {
        id -> BigInt,
        feedback_id -> BigInt,
        location_id -> BigInt,
        status -> Text,
        access_nonce -> Text,
        access_token_hash -> Text,
        created_at -> Timestamp,
        updated_at -> Timestamp,
        spot -> Nullable<Text>,
        priority -> Text,
        assignee_id -> Nullable<BigInt>,
        first_response_due_at -> Nullable<Timestamp>,
        resolution_due_at -> Nullable<Timestamp>,
        due_at -> Nullable<Timestamp>,
        first_response_at -> Nullable<Timestamp>,
        first_response_escalated_at -> Nullable<Timestamp>,
        resolution_escalated_at -> Nullable<Timestamp>,
        waiting_since -> Nullable<Timestamp>,
        reminder_sent_at -> Nullable<Timestamp>,
        resolved_at -> Nullable<Timestamp>,
        closed_at -> Nullable<Timestamp>,
        csat_due_at -> Nullable<Timestamp>,
        csat_sent_at -> Nullable<Timestamp>,
        csat_score -> Nullable<SmallInt>,
        csat_at -> Nullable<Timestamp>,
        merged_into_id -> Nullable<BigInt>,
        face -> Nullable<SmallInt>,
        category_id -> Nullable<BigInt>,
    }
}

diesel::table! {
    ticket_events (id) {
        id -> BigInt,
        ticket_id -> BigInt,
        kind -> Text,
        actor_id -> Nullable<BigInt>,
        detail -> Text,
        body -> Nullable<Text>,
        created_at -> Timestamp,
        api_key_id -> Nullable<BigInt>,
    }
}

diesel::table! {
    canned_responses (id) {
        id -> BigInt,
        title -> Text,
        body_nl -> Text,
        body_en -> Text,
        position -> Integer,
        active -> Bool,
        created_at -> Timestamp,
        body_fr -> Text,
        body_de -> Text,
    }
}

diesel::table! {
    audit_log (id) {
        id -> BigInt,
        actor_id -> Nullable<BigInt>,
        action -> Text,
        ticket_id -> Nullable<BigInt>,
        detail -> Text,
        created_at -> Timestamp,
        api_key_id -> Nullable<BigInt>,
    }
}

diesel::table! {
    job_runs (name) {
        name -> Text,
        last_run_at -> Timestamp,
    }
}

diesel::table! {
    ticket_messages (id) {
        id -> BigInt,
        ticket_id -> BigInt,
        author -> Text,
        staff_user_id -> Nullable<BigInt>,
        body -> Text,
        created_at -> Timestamp,
        api_key_id -> Nullable<BigInt>,
    }
}

diesel::table! {
    outbox (id) {
        id -> BigInt,
        kind -> Text,
        ticket_id -> Nullable<BigInt>,
        ticket_message_id -> Nullable<BigInt>,
        recipient -> Text,
        subject -> Text,
        body_text -> Text,
        body_html -> Text,
        message_id -> Text,
        in_reply_to -> Nullable<Text>,
        message_references -> Nullable<Text>,
        status -> Text,
        attempts -> Integer,
        next_attempt_at -> Timestamp,
        last_error -> Nullable<Text>,
        created_at -> Timestamp,
        sent_at -> Nullable<Timestamp>,
        sent_via -> Nullable<Text>,
        claimed_until -> Nullable<Timestamp>,
        claimed_by -> Nullable<Text>,
    }
}

diesel::table! {
    outbound (id) {
        id -> BigInt,
        delivery_id -> Text,
        event -> Text,
        target -> Text,
        webhook_id -> Nullable<BigInt>,
        chat_target_id -> Nullable<BigInt>,
        url -> Text,
        body -> Text,
        status -> Text,
        attempts -> Integer,
        next_attempt_at -> Timestamp,
        claimed_until -> Nullable<Timestamp>,
        last_status -> Nullable<Integer>,
        last_error -> Nullable<Text>,
        created_at -> Timestamp,
        finished_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    checklist_steps (step) {
        step -> Text,
        dismissed_at -> Nullable<Timestamp>,
        done_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    self_checks (name) {
        name -> Text,
        checked_at -> Timestamp,
        target -> Text,
        via -> Text,
        outcome -> Text,
        detail -> Text,
    }
}

diesel::table! {
    business_profile (id) {
        id -> BigInt,
        name -> Text,
        accent_colour -> Text,
        logo_type -> Nullable<Text>,
        logo_base64 -> Nullable<Text>,
        updated_at -> Timestamp,
        auto_close_days -> Integer,
        reminder_days -> Integer,
        csat_delay_hours -> Integer,
        digest_hour -> Integer,
        time_zone -> Text,
        owner_totp_required -> Bool,
        retention_months -> Integer,
    }
}

diesel::table! {
    kiosk_devices (id) {
        id -> BigInt,
        location_id -> BigInt,
        name -> Text,
        token_hash -> Text,
        created_at -> Timestamp,
        last_seen_at -> Nullable<Timestamp>,
        revoked_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    kiosk_pairing_codes (id) {
        id -> BigInt,
        location_id -> BigInt,
        name -> Text,
        code_hash -> Text,
        created_at -> Timestamp,
        expires_at -> Timestamp,
        used_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    kiosk_submissions (feedback_id) {
        feedback_id -> BigInt,
        device_id -> BigInt,
    }
}

diesel::table! {
    invites (id) {
        id -> BigInt,
        token_hash -> Text,
        email -> Text,
        name -> Text,
        role -> Text,
        language -> Text,
        invited_by -> Nullable<BigInt>,
        created_at -> Timestamp,
        expires_at -> Timestamp,
        used_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    password_resets (id) {
        id -> BigInt,
        token_hash -> Text,
        user_id -> BigInt,
        created_at -> Timestamp,
        expires_at -> Timestamp,
        used_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    totp_credentials (user_id) {
        user_id -> BigInt,
        secret -> Text,
        last_step -> BigInt,
        enabled_at -> Timestamp,
    }
}

diesel::table! {
    gift_catalogue (id) {
        id -> BigInt,
        kind -> Text,
        title_nl -> Text,
        title_en -> Text,
        description_nl -> Text,
        description_en -> Text,
        redeem_nl -> Text,
        redeem_en -> Text,
        value_cents -> Nullable<BigInt>,
        currency -> Text,
        percent -> Nullable<SmallInt>,
        cost_cents -> BigInt,
        validity_days -> Integer,
        active -> Bool,
        created_at -> Timestamp,
        updated_at -> Timestamp,
        title_fr -> Text,
        title_de -> Text,
        description_fr -> Text,
        description_de -> Text,
        redeem_fr -> Text,
        redeem_de -> Text,
    }
}

diesel::table! {
    gifts (id) {
        id -> BigInt,
        catalogue_id -> BigInt,
        ticket_id -> Nullable<BigInt>,
        location_id -> BigInt,
        kind -> Text,
        title -> Text,
        description -> Text,
        redeem_how -> Text,
        value_cents -> Nullable<BigInt>,
        currency -> Text,
        percent -> Nullable<SmallInt>,
        cost_cents -> BigInt,
        validity_days -> Integer,
        language -> Text,
        recipient_email -> Nullable<Text>,
        recipient_name -> Nullable<Text>,
        message -> Text,
        status -> Text,
        code_hash -> Nullable<Text>,
        access_token_hash -> Nullable<Text>,
        created_by -> Nullable<BigInt>,
        created_at -> Timestamp,
        decided_by -> Nullable<BigInt>,
        decided_at -> Nullable<Timestamp>,
        decline_reason -> Nullable<Text>,
        sent_at -> Nullable<Timestamp>,
        expires_at -> Nullable<Timestamp>,
        redeemed_at -> Nullable<Timestamp>,
        redeemed_by -> Nullable<BigInt>,
        redeemed_location_id -> Nullable<BigInt>,
        voided_at -> Nullable<Timestamp>,
        voided_by -> Nullable<BigInt>,
    }
}

diesel::table! {
    gift_api_keys (gift_id) {
        gift_id -> BigInt,
        created_by -> Nullable<BigInt>,
        redeemed_by -> Nullable<BigInt>,
    }
}

diesel::table! {
    gift_requests (key_hash) {
        key_hash -> Text,
        gift_id -> BigInt,
        created_at -> Timestamp,
    }
}

diesel::table! {
    dashboard_days (day) {
        day -> Date,
        rolled_at -> Timestamp,
    }
}

diesel::table! {
    daily_feedback (day, location_id, dimension, value) {
        day -> Date,
        location_id -> BigInt,
        dimension -> Text,
        value -> Text,
        count -> Integer,
    }
}

diesel::table! {
    daily_durations (day, location_id, measure) {
        day -> Date,
        location_id -> BigInt,
        measure -> Text,
        count -> Integer,
        on_time -> Integer,
        minutes -> Text,
    }
}

diesel::table! {
    daily_satisfaction (day, location_id, first_face, answer) {
        day -> Date,
        location_id -> BigInt,
        first_face -> SmallInt,
        answer -> SmallInt,
        count -> Integer,
    }
}

diesel::table! {
    consent_wordings (id) {
        id -> BigInt,
        language -> Text,
        wording -> Text,
        first_shown_at -> Timestamp,
    }
}

diesel::joinable!(sessions -> users (user_id));
diesel::joinable!(password_resets -> users (user_id));
diesel::joinable!(totp_credentials -> users (user_id));
diesel::joinable!(kiosk_devices -> locations (location_id));
diesel::joinable!(kiosk_pairing_codes -> locations (location_id));
diesel::joinable!(kiosk_submissions -> feedback (feedback_id));
diesel::joinable!(kiosk_submissions -> kiosk_devices (device_id));
diesel::joinable!(feedback -> locations (location_id));
diesel::joinable!(feedback -> categories (category_id));
diesel::joinable!(tickets -> feedback (feedback_id));
diesel::joinable!(tickets -> locations (location_id));
diesel::joinable!(tickets -> users (assignee_id));
diesel::joinable!(ticket_events -> tickets (ticket_id));
diesel::joinable!(ticket_events -> users (actor_id));
diesel::joinable!(audit_log -> users (actor_id));
diesel::joinable!(ticket_messages -> tickets (ticket_id));
diesel::joinable!(ticket_messages -> users (staff_user_id));
diesel::joinable!(outbox -> tickets (ticket_id));
diesel::joinable!(attachments -> ticket_messages (ticket_message_id));
diesel::joinable!(gifts -> gift_catalogue (catalogue_id));
diesel::joinable!(gifts -> tickets (ticket_id));
diesel::joinable!(gift_requests -> gifts (gift_id));
diesel::joinable!(gift_api_keys -> gifts (gift_id));
diesel::joinable!(feedback -> consent_wordings (consent_wording_id));

diesel::table! {
    api_keys (id) {
        id -> BigInt,
        name -> Text,
        prefix -> Text,
        key_hash -> Text,
        scopes -> Text,
        created_at -> Timestamp,
        created_by -> Nullable<BigInt>,
        last_used_at -> Nullable<Timestamp>,
        revoked_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    api_key_locations (api_key_id, location_id) {
        api_key_id -> BigInt,
        location_id -> BigInt,
    }
}

diesel::table! {
    api_cors_origins (origin) {
        origin -> Text,
        created_at -> Timestamp,
    }
}

diesel::joinable!(api_key_locations -> api_keys (api_key_id));
diesel::joinable!(audit_log -> api_keys (api_key_id));
diesel::joinable!(api_key_locations -> locations (location_id));
diesel::joinable!(ticket_messages -> api_keys (api_key_id));
diesel::joinable!(ticket_events -> api_keys (api_key_id));

diesel::allow_tables_to_appear_in_same_query!(
    users,
    api_keys,
    api_key_locations,
    api_cors_origins,
    sessions,
    setup_tokens,
    locations,
    categories,
    review_links,
    feedback,
    tickets,
    ticket_messages,
    outbox,
    business_profile,
    kiosk_devices,
    kiosk_pairing_codes,
    kiosk_submissions,
    ticket_events,
    canned_responses,
    audit_log,
    job_runs,
    invites,
    password_resets,
    totp_credentials,
    inbound_mails,
    attachments,
    gift_catalogue,
    gifts,
    gift_requests,
    gift_api_keys,
    dashboard_days,
    daily_feedback,
    daily_durations,
    daily_satisfaction,
    consent_wordings,
    outbound,
    webhooks,
    webhook_attempts,
    alert_rules,
    alert_counts,
    alerts,
    alert_answers,
    chat_targets,
);

diesel::table! {
    webhooks (id) {
        id -> BigInt,
        url -> Text,
        description -> Text,
        events -> Text,
        secret_nonce -> Text,
        active -> Bool,
        paused_reason -> Nullable<Text>,
        paused_at -> Nullable<Timestamp>,
        failing_since -> Nullable<Timestamp>,
        last_success_at -> Nullable<Timestamp>,
        last_attempt_at -> Nullable<Timestamp>,
        last_status -> Nullable<Integer>,
        created_at -> Timestamp,
        created_by -> Nullable<BigInt>,
        public_id -> Text,
    }
}

diesel::table! {
    webhook_attempts (id) {
        id -> BigInt,
        webhook_id -> BigInt,
        delivery_id -> Text,
        event -> Text,
        attempt -> Integer,
        status_code -> Nullable<Integer>,
        error -> Nullable<Text>,
        duration_ms -> Integer,
        created_at -> Timestamp,
    }
}

diesel::table! {
    inbound_mails (id) {
        id -> BigInt,
        ticket_id -> BigInt,
        ticket_message_id -> Nullable<BigInt>,
        message_id -> Text,
        sender -> Text,
        other_sender -> Bool,
        raw -> Binary,
        status -> Text,
        reason -> Text,
        received_at -> Timestamp,
    }
}

diesel::table! {
    attachments (id) {
        id -> BigInt,
        ticket_id -> BigInt,
        ticket_message_id -> BigInt,
        file_name -> Text,
        content_type -> Text,
        size -> BigInt,
        data -> Binary,
        created_at -> Timestamp,
    }
}

diesel::table! {
    alert_rules (location_id) {
        location_id -> BigInt,
        unhappy_on -> Bool,
        unhappy_percent -> Integer,
        happy_on -> Bool,
        happy_percent -> Integer,
        minutes -> Integer,
        min_answers -> Integer,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    alert_counts (location_id, minute) {
        location_id -> BigInt,
        minute -> Timestamp,
        answers -> Integer,
        unhappy -> Integer,
        happy -> Integer,
    }
}

diesel::table! {
    alerts (id) {
        id -> BigInt,
        location_id -> BigInt,
        kind -> Text,
        raised_at -> Timestamp,
        window_start -> Timestamp,
        minutes -> Integer,
        answers -> Integer,
        matching -> Integer,
        percent -> Integer,
        last_met_at -> Timestamp,
        acknowledged_at -> Nullable<Timestamp>,
        acknowledged_by -> Nullable<BigInt>,
        ack_comment -> Nullable<Text>,
    }
}

diesel::table! {
    alert_answers (alert_id, feedback_id) {
        alert_id -> BigInt,
        feedback_id -> BigInt,
    }
}

diesel::table! {
    chat_targets (id) {
        id -> BigInt,
        location_id -> BigInt,
        kind -> Text,
        url -> Text,
        active -> Bool,
        created_at -> Timestamp,
    }
}

diesel::joinable!(alerts -> locations (location_id));
diesel::joinable!(alert_answers -> alerts (alert_id));
diesel::joinable!(alert_answers -> feedback (feedback_id));
diesel::joinable!(chat_targets -> locations (location_id));

//! Hand-written, portable table definitions (one for both backends).

diesel::table! {
    accounts (id) {
        id -> BigInt,
        login_name -> Text,
        role -> Text,
        display_name -> Text,
        password_hash -> Text,
        failed_logins -> Integer,
        locked_until -> Nullable<Timestamp>,
        active -> Bool,
        created_at -> Timestamp,
        must_change_password -> Bool,
        employer_id -> Nullable<BigInt>,
        disabled_by -> Nullable<Text>,
        mobile -> Nullable<Text>,
        committee_id -> Nullable<BigInt>,
    }
}

diesel::table! {
    password_resets (token_hash) {
        token_hash -> Text,
        account_id -> BigInt,
        issued_by -> BigInt,
        created_at -> Timestamp,
        expires_at -> Timestamp,
        used_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    session_flash (token_hash) {
        token_hash -> Text,
        value -> Text,
        created_at -> Timestamp,
    }
}

diesel::table! {
    calendar_years (year) {
        year -> Integer,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    calendar_days (day) {
        day -> Date,
        year -> Integer,
        kind -> Text,
        name -> Text,
    }
}

diesel::table! {
    employer_reviews (application_id, employer_id) {
        application_id -> BigInt,
        employer_id -> BigInt,
        data -> Text,
        verified_by -> BigInt,
        verified_at -> Timestamp,
        eligible -> Nullable<Bool>,
    }
}

diesel::table! {
    publicities (id) {
        id -> BigInt,
        employer_id -> BigInt,
        starts_on -> Date,
        ends_on -> Date,
        contact -> Text,
        created_by -> BigInt,
        created_at -> Timestamp,
    }
}

diesel::table! {
    publicity_items (publicity_id, application_id) {
        publicity_id -> BigInt,
        application_id -> BigInt,
        entry -> Nullable<Text>,
    }
}

diesel::table! {
    objections (id) {
        id -> BigInt,
        application_id -> BigInt,
        employer_id -> BigInt,
        received_on -> Date,
        source -> Text,
        content -> Text,
        recorded_by -> BigInt,
        recorded_at -> Timestamp,
        resolution -> Nullable<Text>,
        reason -> Nullable<Text>,
        resolved_by -> Nullable<BigInt>,
        resolved_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    returns (id) {
        id -> BigInt,
        application_id -> BigInt,
        employer_id -> BigInt,
        items -> Text,
        deadline -> Date,
        returned_by -> BigInt,
        returned_at -> Timestamp,
        answered_at -> Nullable<Timestamp>,
        sections_before -> Text,
        committee_id -> Nullable<BigInt>,
    }
}

diesel::table! {
    refusals (application_id) {
        application_id -> BigInt,
        committee_id -> BigInt,
        reason -> Text,
        clause -> Text,
        note -> Text,
        refused_by -> BigInt,
        refused_at -> Timestamp,
    }
}

diesel::table! {
    employer_state_counts (employer_id, state) {
        employer_id -> BigInt,
        state -> Text,
        n -> BigInt,
    }
}

diesel::table! {
    employer_decisions (application_id, employer_id) {
        application_id -> BigInt,
        employer_id -> BigInt,
        decision -> Text,
        opinion -> Text,
        appointed_on -> Nullable<Date>,
        document_number -> Nullable<Text>,
        decided_by -> BigInt,
        decided_at -> Timestamp,
    }
}

diesel::table! {
    kept_forms (account_id, action) {
        account_id -> BigInt,
        action -> Text,
        page -> Text,
        fields -> Text,
        files -> Text,
        created_at -> Timestamp,
    }
}

diesel::table! {
    people (account_id) {
        account_id -> BigInt,
        name -> Text,
        id_number -> Text,
        mobile -> Text,
    }
}

diesel::table! {
    employers (account_id) {
        account_id -> BigInt,
        name -> Text,
        credit_code -> Text,
        credit_code_verified -> Bool,
        contact_name -> Text,
        contact_phone -> Text,
    }
}

diesel::table! {
    sessions (token_hash) {
        token_hash -> Text,
        account_id -> Nullable<BigInt>,
        csrf_token -> Text,
        created_at -> Timestamp,
        last_seen_at -> Timestamp,
    }
}

diesel::table! {
    audit_log (id) {
        id -> BigInt,
        at -> Timestamp,
        actor_id -> Nullable<BigInt>,
        actor_role -> Nullable<Text>,
        action -> Text,
        subject -> Text,
        detail -> Text,
        prev_hash -> Text,
        hash -> Text,
        from_state -> Nullable<Text>,
    }
}

diesel::joinable!(people -> accounts (account_id));
diesel::joinable!(employers -> accounts (account_id));
diesel::joinable!(sessions -> accounts (account_id));

diesel::table! {
    catalogue_series (name) {
        name -> Text,
        open -> Bool,
        position -> Integer,
    }
}

diesel::table! {
    catalogue_occupations (id) {
        id -> BigInt,
        occupation -> Text,
        series -> Text,
        specialty -> Text,
    }
}

diesel::table! {
    catalogue_honours (name) {
        name -> Text,
        level -> Text,
        position -> Integer,
    }
}

diesel::table! {
    rounds (id) {
        id -> BigInt,
        name -> Text,
        submission_deadline -> Date,
        reference_date -> Date,
        created_at -> Timestamp,
        closed_at -> Nullable<Timestamp>,
        committee_id -> Nullable<BigInt>,
        levels -> Text,
        scoring_deadline -> Nullable<Date>,
        rubric_id -> Nullable<BigInt>,
        opened_at -> Nullable<Timestamp>,
        version -> BigInt,
    }
}

diesel::table! {
    applications (id) {
        id -> BigInt,
        applicant_id -> BigInt,
        employer_id -> Nullable<BigInt>,
        round_id -> Nullable<BigInt>,
        pathway -> Text,
        state -> Text,
        version -> Integer,
        reference -> Nullable<Text>,
        created_at -> Timestamp,
        updated_at -> Timestamp,
        submitted_at -> Nullable<Timestamp>,
        employer_code -> Nullable<Text>,
        summary -> Nullable<Text>,
        publicity_ends_on -> Nullable<Date>,
        applicant_name -> Nullable<Text>,
        publicity_starts_on -> Nullable<Date>,
        committee_id -> Nullable<BigInt>,
    }
}

diesel::table! {
    application_sections (application_id, section) {
        application_id -> BigInt,
        section -> Text,
        data -> Nullable<Text>,
        version -> Integer,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    evidence (id) {
        id -> Text,
        application_id -> BigInt,
        uploaded_by -> BigInt,
        file_name -> Text,
        content_type -> Text,
        size -> BigInt,
        sha256 -> Text,
        bytes -> Binary,
        created_at -> Timestamp,
    }
}

diesel::table! {
    reference_counters (year) {
        year -> Integer,
        last -> Integer,
    }
}

diesel::joinable!(application_sections -> applications (application_id));
diesel::joinable!(evidence -> applications (application_id));
diesel::joinable!(returns -> applications (application_id));
diesel::joinable!(publicity_items -> publicities (publicity_id));

diesel::allow_tables_to_appear_in_same_query!(
    accounts,
    employer_state_counts,
    password_resets,
    session_flash,
    kept_forms,
    employer_reviews,
    publicities,
    publicity_items,
    objections,
    returns,
    refusals,
    employer_decisions,
    calendar_years,
    calendar_days,
    people,
    employers,
    sessions,
    audit_log,
    rounds,
    applications,
    application_sections,
    evidence,
);

diesel::table! {
    server_secrets (name) {
        name -> Text,
        value -> Text,
    }
}

diesel::table! {
    throttles (key) {
        key -> Text,
        score -> Double,
        updated_at -> Timestamp,
        blocked_until -> Nullable<Timestamp>,
    }
}

diesel::table! {
    employer_claims (id) {
        id -> BigInt,
        name -> Text,
        credit_code -> Text,
        contact_name -> Text,
        contact_phone -> Text,
        password_hash -> Text,
        licence_file_name -> Text,
        licence_content_type -> Text,
        licence_sha256 -> Text,
        licence_bytes -> Binary,
        status -> Text,
        review_note -> Text,
        reviewed_by -> Nullable<BigInt>,
        reviewed_at -> Nullable<Timestamp>,
        account_id -> Nullable<BigInt>,
        created_at -> Timestamp,
    }
}

diesel::table! {
    employer_claim_sources (claim_id) {
        claim_id -> BigInt,
        client -> Text,
        licence_size -> BigInt,
    }
}

diesel::joinable!(employer_claim_sources -> employer_claims (claim_id));
diesel::allow_tables_to_appear_in_same_query!(employer_claim_sources, employer_claims);

diesel::table! {
    application_frozen (application_id) {
        application_id -> BigInt,
        snapshot -> Text,
        verdict -> Text,
    }
}

diesel::table! {
    committees (id) {
        id -> BigInt,
        name -> Text,
        series -> Text,
        specialty -> Text,
        levels -> Text,
        sponsor -> Text,
        registration_number -> Text,
        registered_on -> Nullable<Date>,
        registered_until -> Nullable<Date>,
        suspended_on -> Nullable<Date>,
        suspended_reason -> Text,
        set_up -> Bool,
        version -> Integer,
        created_at -> Timestamp,
        updated_at -> Timestamp,
        rubric_id -> Nullable<BigInt>,
    }
}

diesel::table! {
    committee_occupations (committee_id, occupation) {
        committee_id -> BigInt,
        occupation -> Text,
    }
}

diesel::table! {
    pool_entries (id) {
        id -> BigInt,
        committee_id -> BigInt,
        account_id -> BigInt,
        title_name -> Text,
        title_level -> Text,
        series -> Text,
        specialty -> Text,
        employer_name -> Text,
        employer_code -> Text,
        term_from -> Date,
        term_until -> Date,
        skilled_worker -> Bool,
        apprentices -> Text,
        active -> Bool,
        removed_reason -> Text,
        version -> Integer,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    settings (scope, scope_id, key) {
        scope -> Text,
        scope_id -> BigInt,
        key -> Text,
        value -> Text,
        updated_by -> BigInt,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    committee_state_counts (committee_id, state) {
        committee_id -> BigInt,
        state -> Text,
        n -> BigInt,
    }
}

diesel::joinable!(pool_entries -> accounts (account_id));
diesel::joinable!(pool_entries -> committees (committee_id));
diesel::joinable!(committee_occupations -> committees (committee_id));
diesel::allow_tables_to_appear_in_same_query!(
    committees,
    committee_occupations,
    pool_entries,
    committee_state_counts,
);
diesel::allow_tables_to_appear_in_same_query!(committees, accounts);
diesel::allow_tables_to_appear_in_same_query!(committees, rounds);
diesel::allow_tables_to_appear_in_same_query!(committees, applications);
diesel::allow_tables_to_appear_in_same_query!(pool_entries, accounts);

diesel::table! {
    rubric_versions (id) {
        id -> BigInt,
        committee_id -> BigInt,
        hash -> Text,
        body -> Text,
        created_at -> Timestamp,
        created_by -> Nullable<BigInt>,
    }
}

diesel::table! {
    panel_draws (id) {
        id -> BigInt,
        round_id -> BigInt,
        filters -> Text,
        candidates -> Text,
        seed -> Text,
        size -> Integer,
        drawn -> Text,
        drawn_at -> Timestamp,
        drawn_by -> BigInt,
        discarded_at -> Nullable<Timestamp>,
        discarded_by -> Nullable<BigInt>,
        discard_reason -> Text,
    }
}

diesel::table! {
    panel_members (round_id, entry_id) {
        round_id -> BigInt,
        entry_id -> BigInt,
        draw_id -> BigInt,
        position -> Integer,
        role -> Text,
        assigned -> Integer,
    }
}

diesel::joinable!(panel_members -> pool_entries (entry_id));
diesel::allow_tables_to_appear_in_same_query!(panel_members, pool_entries);
diesel::allow_tables_to_appear_in_same_query!(panel_members, accounts);
diesel::allow_tables_to_appear_in_same_query!(rubric_versions, rounds);
diesel::allow_tables_to_appear_in_same_query!(rubric_versions, committees);
diesel::allow_tables_to_appear_in_same_query!(panel_draws, rounds);

diesel::table! {
    review_cases (application_id) {
        application_id -> BigInt,
        round_id -> BigInt,
        committee_id -> BigInt,
        specialty -> Text,
        assigned -> Integer,
        version -> Integer,
        updated_at -> Timestamp,
        level -> Text,
        submitted -> Integer,
        mean_milli -> BigInt,
        median_milli -> BigInt,
        spread_milli -> BigInt,
        stddev_milli -> BigInt,
        vetoes -> Integer,
        widest -> Text,
        extended_until -> Nullable<Date>,
        closed -> Bool,
        group_opinion -> Text,
        group_opinion_by -> Nullable<BigInt>,
        group_opinion_at -> Nullable<Timestamp>,
        group_version -> Integer,
    }
}

diesel::table! {
    reviews (application_id, entry_id) {
        application_id -> BigInt,
        entry_id -> BigInt,
        account_id -> BigInt,
        round_id -> BigInt,
        rubric_id -> BigInt,
        status -> Text,
        marks -> Text,
        opinion -> Text,
        total_milli -> BigInt,
        veto -> Bool,
        version -> Integer,
        saved_at -> Timestamp,
        submitted_at -> Nullable<Timestamp>,
        cal_own_milli -> Nullable<BigInt>,
        cal_panel_milli -> Nullable<BigInt>,
    }
}

diesel::table! {
    calibration (round_id, account_id) {
        round_id -> BigInt,
        account_id -> BigInt,
        shared -> BigInt,
        sum_x -> BigInt,
        sum_y -> BigInt,
        sum_xx -> BigInt,
        sum_yy -> BigInt,
        sum_xy -> BigInt,
    }
}

diesel::table! {
    scoring_closes (id) {
        id -> BigInt,
        round_id -> BigInt,
        at -> Timestamp,
        by_account -> Nullable<BigInt>,
        reason -> Text,
        moved -> Integer,
    }
}

diesel::table! {
    review_history (id) {
        id -> BigInt,
        application_id -> BigInt,
        entry_id -> BigInt,
        event -> Text,
        marks -> Text,
        opinion -> Text,
        total_milli -> BigInt,
        veto -> Bool,
        by_account -> BigInt,
        at -> Timestamp,
        reason -> Text,
    }
}

diesel::table! {
    conflicts (id) {
        id -> BigInt,
        round_id -> BigInt,
        application_id -> BigInt,
        entry_id -> BigInt,
        kind -> Text,
        basis -> Text,
        match_key -> Text,
        evidence -> Text,
        status -> Text,
        raised_by -> Nullable<BigInt>,
        raised_at -> Timestamp,
        decided_by -> Nullable<BigInt>,
        decided_at -> Nullable<Timestamp>,
        reason -> Text,
        version -> Integer,
    }
}

diesel::table! {
    assignments (application_id, entry_id) {
        application_id -> BigInt,
        entry_id -> BigInt,
        account_id -> BigInt,
        round_id -> BigInt,
        active -> Bool,
        assigned_at -> Timestamp,
        assigned_by -> BigInt,
        ended_at -> Nullable<Timestamp>,
        ended_by -> Nullable<BigInt>,
        conflict_id -> Nullable<BigInt>,
    }
}

diesel::joinable!(assignments -> applications (application_id));
diesel::joinable!(review_cases -> applications (application_id));
diesel::allow_tables_to_appear_in_same_query!(assignments, applications);
diesel::allow_tables_to_appear_in_same_query!(assignments, rounds);
diesel::allow_tables_to_appear_in_same_query!(review_cases, applications);
diesel::allow_tables_to_appear_in_same_query!(conflicts, applications);

diesel::joinable!(reviews -> applications (application_id));
diesel::allow_tables_to_appear_in_same_query!(reviews, applications);
diesel::allow_tables_to_appear_in_same_query!(reviews, accounts);
diesel::allow_tables_to_appear_in_same_query!(reviews, assignments);
diesel::allow_tables_to_appear_in_same_query!(review_cases, reviews);
diesel::allow_tables_to_appear_in_same_query!(review_cases, assignments);

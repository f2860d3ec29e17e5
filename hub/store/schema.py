"""The hall's schema, as numbered migrations applied at start-up (sqlite-utils Migrations).

A new table or column is a new migration at the end; a migration once released is never edited.
"""
from sqlite_utils.migrations import Migrations

migrations = Migrations("hall")


@migrations()
def m001_core(db):
    db.execute("""CREATE TABLE events (
        seq INTEGER PRIMARY KEY,
        type TEXT NOT NULL,
        data TEXT NOT NULL,
        audience TEXT NOT NULL,
        at TEXT NOT NULL)""")
    db.execute("""CREATE TABLE products (
        sku TEXT PRIMARY KEY,
        barcode TEXT NOT NULL UNIQUE,
        name TEXT NOT NULL,
        name_en TEXT NOT NULL,
        firm TEXT NOT NULL,
        firm_en TEXT NOT NULL,
        booth TEXT NOT NULL,
        category TEXT NOT NULL,
        price INTEGER NOT NULL CHECK (price >= 0),
        tax_free INTEGER NOT NULL DEFAULT 0,
        tags TEXT NOT NULL DEFAULT '',
        on_hand INTEGER NOT NULL CHECK (on_hand >= 0),
        held INTEGER NOT NULL DEFAULT 0 CHECK (held >= 0 AND held <= on_hand),
        low_stock INTEGER)""")
    db.execute("CREATE INDEX products_firm ON products(firm)")
    db.execute("CREATE INDEX products_category ON products(category)")
    db.execute("""CREATE TABLE holds (
        hold_id TEXT PRIMARY KEY,
        code TEXT NOT NULL UNIQUE,
        device TEXT NOT NULL,
        lines TEXT NOT NULL,
        total INTEGER NOT NULL,
        created_at TEXT NOT NULL,
        expires_at TEXT NOT NULL,
        status TEXT NOT NULL,
        closed_at TEXT)""")
    db.execute("CREATE INDEX holds_active_expiry ON holds(status, expires_at)")
    db.execute("""CREATE TABLE hold_lines (
        hold_id TEXT NOT NULL REFERENCES holds(hold_id),
        sku TEXT NOT NULL REFERENCES products(sku),
        qty INTEGER NOT NULL CHECK (qty > 0),
        PRIMARY KEY (hold_id, sku))""")
    db.execute("""CREATE TABLE sales (
        sale_id TEXT PRIMARY KEY,
        receipt_no TEXT NOT NULL UNIQUE,
        device TEXT NOT NULL,
        cashier TEXT,
        at TEXT NOT NULL,
        total INTEGER NOT NULL,
        taxable_total INTEGER NOT NULL,
        tax_free_total INTEGER NOT NULL,
        supply INTEGER NOT NULL,
        vat INTEGER NOT NULL,
        paid INTEGER NOT NULL,
        change INTEGER NOT NULL,
        hold_code TEXT)""")
    db.execute("""CREATE TABLE sale_lines (
        sale_id TEXT NOT NULL REFERENCES sales(sale_id),
        line_no INTEGER NOT NULL,
        sku TEXT NOT NULL REFERENCES products(sku),
        name TEXT NOT NULL,
        firm TEXT NOT NULL,
        qty INTEGER NOT NULL CHECK (qty > 0),
        unit_price INTEGER NOT NULL,
        amount INTEGER NOT NULL,
        tax_free INTEGER NOT NULL,
        PRIMARY KEY (sale_id, line_no))""")
    db.execute("CREATE INDEX sale_lines_sku ON sale_lines(sku)")
    db.execute("""CREATE TABLE payments (
        sale_id TEXT NOT NULL REFERENCES sales(sale_id),
        line_no INTEGER NOT NULL,
        method TEXT NOT NULL,
        amount INTEGER NOT NULL,
        tendered INTEGER,
        card_type TEXT,
        card_masked TEXT,
        approval_no TEXT,
        PRIMARY KEY (sale_id, line_no))""")
    # One row per client-made id: a retried command finds its first answer here.
    db.execute("""CREATE TABLE commands (
        command TEXT NOT NULL,
        client_id TEXT NOT NULL,
        fingerprint TEXT NOT NULL,
        result TEXT NOT NULL,
        at TEXT NOT NULL,
        PRIMARY KEY (command, client_id))""")
    db.execute("""CREATE TABLE counters (
        name TEXT PRIMARY KEY,
        value INTEGER NOT NULL)""")
    db.execute("""CREATE TABLE devices (
        name TEXT PRIMARY KEY,
        role TEXT NOT NULL,
        token_hash TEXT NOT NULL UNIQUE,
        created_at TEXT NOT NULL,
        revoked_at TEXT)""")
    db.execute("""CREATE TABLE pairing_codes (
        code_hash TEXT PRIMARY KEY,
        role TEXT NOT NULL,
        name TEXT NOT NULL,
        created_at TEXT NOT NULL,
        expires_at TEXT NOT NULL,
        used_at TEXT)""")


@migrations()
def m002_print_spool(db):
    db.execute("""CREATE TABLE print_jobs (
        job_no INTEGER PRIMARY KEY,
        printer TEXT NOT NULL,
        kind TEXT NOT NULL,
        ref TEXT NOT NULL,
        document TEXT NOT NULL,
        reprint_of TEXT,
        state TEXT NOT NULL,
        attempts INTEGER NOT NULL DEFAULT 0,
        last_error TEXT,
        created_at TEXT NOT NULL,
        next_try_at TEXT NOT NULL,
        printed_at TEXT,
        confirmed INTEGER)""")
    db.execute("CREATE INDEX print_jobs_queue ON print_jobs(printer, state, job_no)")
    db.execute("CREATE INDEX print_jobs_ref ON print_jobs(kind, ref)")
    db.execute("""CREATE TABLE printer_states (
        printer TEXT PRIMARY KEY,
        status TEXT NOT NULL,
        detail TEXT NOT NULL DEFAULT '',
        changed_at TEXT NOT NULL)""")


@migrations()
def m003_feedback(db):
    db.execute("""CREATE TABLE feedback (
        feedback_id TEXT PRIMARY KEY,
        device TEXT NOT NULL,
        rating INTEGER NOT NULL CHECK (rating BETWEEN 1 AND 5),
        comment TEXT NOT NULL DEFAULT '',
        context TEXT NOT NULL,
        lang TEXT NOT NULL DEFAULT '',
        at TEXT NOT NULL)""")
    db.execute("CREATE INDEX feedback_at ON feedback(at)")


@migrations()
def m004_tills(db):
    db.execute("""CREATE TABLE cashiers (
        cashier_id TEXT PRIMARY KEY,
        name TEXT NOT NULL,
        pin_hash TEXT NOT NULL,
        supervisor INTEGER NOT NULL DEFAULT 0,
        failed_attempts INTEGER NOT NULL DEFAULT 0,
        locked_until TEXT,
        created_at TEXT NOT NULL)""")
    db.execute("""CREATE TABLE shifts (
        shift_id TEXT PRIMARY KEY,
        device TEXT NOT NULL,
        cashier_id TEXT NOT NULL,
        opened_at TEXT NOT NULL,
        float INTEGER NOT NULL,
        closed_at TEXT,
        counted_cash INTEGER,
        expected_cash INTEGER,
        report TEXT)""")
    for column in ("shift_id TEXT", "cash_receipt_kind TEXT", "cash_receipt_number TEXT", "offline_at TEXT"):
        db.execute(f"ALTER TABLE sales ADD COLUMN {column}")
    db.execute("CREATE INDEX sales_shift ON sales(shift_id)")
    db.execute("""CREATE TABLE refunds (
        refund_id TEXT PRIMARY KEY,
        sale_id TEXT NOT NULL REFERENCES sales(sale_id),
        receipt_no TEXT NOT NULL UNIQUE,
        kind TEXT NOT NULL,
        device TEXT NOT NULL,
        cashier TEXT,
        shift_id TEXT,
        at TEXT NOT NULL,
        total INTEGER NOT NULL,
        taxable_total INTEGER NOT NULL,
        tax_free_total INTEGER NOT NULL,
        supply INTEGER NOT NULL,
        vat INTEGER NOT NULL,
        reason TEXT NOT NULL DEFAULT '',
        approved_by TEXT)""")
    db.execute("CREATE INDEX refunds_sale ON refunds(sale_id)")
    db.execute("CREATE INDEX refunds_shift ON refunds(shift_id)")
    db.execute("""CREATE TABLE refund_lines (
        refund_id TEXT NOT NULL REFERENCES refunds(refund_id),
        line_no INTEGER NOT NULL,
        sku TEXT NOT NULL,
        qty INTEGER NOT NULL CHECK (qty > 0),
        amount INTEGER NOT NULL,
        PRIMARY KEY (refund_id, line_no))""")
    db.execute("""CREATE TABLE refund_payments (
        refund_id TEXT NOT NULL REFERENCES refunds(refund_id),
        line_no INTEGER NOT NULL,
        method TEXT NOT NULL,
        amount INTEGER NOT NULL,
        approval_no TEXT,
        PRIMARY KEY (refund_id, line_no))""")
    # Offline sales the hub could not fill: kept for the cashier and staff, never dropped.
    db.execute("""CREATE TABLE replay_failures (
        sale_id TEXT PRIMARY KEY,
        device TEXT NOT NULL,
        payload TEXT NOT NULL,
        error_code TEXT NOT NULL,
        error TEXT NOT NULL,
        at TEXT NOT NULL,
        resolved_at TEXT,
        resolved_by TEXT)""")


@migrations()
def m005_staff(db):
    db.execute("""CREATE TABLE staff_users (
        name TEXT PRIMARY KEY,
        password_hash TEXT NOT NULL,
        failed_attempts INTEGER NOT NULL DEFAULT 0,
        locked_until TEXT,
        created_at TEXT NOT NULL)""")
    db.execute("""CREATE TABLE alerts (
        alert_id INTEGER PRIMARY KEY,
        kind TEXT NOT NULL,
        subject TEXT NOT NULL,
        message TEXT NOT NULL,
        data TEXT NOT NULL,
        raised_at TEXT NOT NULL,
        acked_at TEXT,
        acked_by TEXT,
        open_key TEXT UNIQUE)""")


@migrations()
def m006_demos(db):
    db.execute("""CREATE TABLE demos (
        demo_id TEXT PRIMARY KEY,
        name TEXT NOT NULL,
        name_en TEXT NOT NULL,
        firm TEXT NOT NULL,
        booth TEXT NOT NULL,
        description TEXT NOT NULL DEFAULT '',
        description_en TEXT NOT NULL DEFAULT '')""")
    db.execute("""CREATE TABLE demo_slots (
        slot_id TEXT PRIMARY KEY,
        demo_id TEXT NOT NULL REFERENCES demos(demo_id),
        starts_at TEXT NOT NULL,
        ends_at TEXT NOT NULL,
        capacity INTEGER NOT NULL,
        booked INTEGER NOT NULL DEFAULT 0,
        checked_in INTEGER NOT NULL DEFAULT 0,
        released_at TEXT,
        CHECK (booked >= 0 AND booked <= capacity))""")
    db.execute("CREATE INDEX demo_slots_start ON demo_slots(starts_at)")
    db.execute("""CREATE TABLE demo_tickets (
        ticket_id TEXT PRIMARY KEY,
        booking_id TEXT NOT NULL UNIQUE,
        slot_id TEXT NOT NULL REFERENCES demo_slots(slot_id),
        party INTEGER NOT NULL,
        device TEXT NOT NULL,
        status TEXT NOT NULL,
        short_code TEXT NOT NULL UNIQUE,
        qr TEXT NOT NULL,
        created_at TEXT NOT NULL,
        valid_from TEXT NOT NULL,
        valid_until TEXT NOT NULL,
        checked_in_at TEXT,
        door TEXT)""")
    db.execute("CREATE INDEX demo_tickets_slot ON demo_tickets(slot_id, status)")
    db.execute("""CREATE TABLE demo_scans (
        scan_id TEXT PRIMARY KEY,
        ticket_id TEXT,
        door TEXT NOT NULL,
        at TEXT NOT NULL,
        reason TEXT NOT NULL,
        offline_at TEXT)""")
    db.execute("""CREATE TABLE checkin_conflicts (
        conflict_id INTEGER PRIMARY KEY,
        ticket_id TEXT NOT NULL,
        scan_id TEXT NOT NULL,
        data TEXT NOT NULL,
        at TEXT NOT NULL)""")


@migrations()
def m007_stock_alert_level(db):
    # The stock alert last raised for a product in its current run of low stock (NULL, low_stock, sold_out):
    # an alert is raised when stock gets worse, not again at every sale after staff acknowledged it.
    db.execute("ALTER TABLE products ADD COLUMN stock_alert TEXT")


@migrations()
def m008_till_sign_ins(db):
    # Who is signed in at which till, issued by the hub at a PIN sign-in: a sale, refund or shift names its
    # cashier by this, never by the till's word. Only a hash of the sign-in's secret is kept.
    db.execute("""CREATE TABLE till_sign_ins (
        secret_hash TEXT PRIMARY KEY,
        device TEXT NOT NULL,
        cashier_id TEXT NOT NULL,
        signed_in_at TEXT NOT NULL,
        expires_at TEXT NOT NULL,
        ended_at TEXT)""")
    db.execute("CREATE INDEX till_sign_ins_device ON till_sign_ins(device, ended_at)")


@migrations()
def m009_sign_in_misses(db):
    # Wrong PINs and passwords counted per person and device (hub/rules/lockout.py): a stranger at one till
    # locks a cashier out of that till only. The old per-person columns are no longer read.
    db.execute("""CREATE TABLE sign_in_misses (
        kind TEXT NOT NULL,
        person TEXT NOT NULL,
        device TEXT NOT NULL,
        failed INTEGER NOT NULL DEFAULT 0,
        locked_until TEXT,
        locked_at TEXT,
        PRIMARY KEY (kind, person, device))""")
    db.execute("CREATE INDEX sign_in_misses_device ON sign_in_misses(device, locked_at)")


@migrations()
def m010_hall_facts(db):
    # What the hall remembers about itself across restarts: the day it was first started, the show's day 1
    # its demo program was laid out from.
    db.execute("""CREATE TABLE hall_facts (
        name TEXT PRIMARY KEY,
        value TEXT NOT NULL)""")


@migrations()
def m011_replay_failure_details(db):
    # The refusal's details (which products were short, how many were left), so a staff screen can say them
    # in its own language rather than show the hub's English message.
    db.execute("ALTER TABLE replay_failures ADD COLUMN details TEXT NOT NULL DEFAULT '{}'")


@migrations()
def m012_staff_sessions(db):
    # A signed-in person at a staff screen, so a reload does not ask for the password again (rules/sessions.py).
    # Only the token's hash is kept.
    db.execute("""CREATE TABLE staff_sessions (
        token_hash TEXT PRIMARY KEY,
        name TEXT NOT NULL,
        device TEXT NOT NULL,
        created_at TEXT NOT NULL,
        expires_at TEXT NOT NULL,
        ended_at TEXT,
        ended_why TEXT)""")
    db.execute("CREATE INDEX staff_sessions_device ON staff_sessions(device)")
    db.execute("CREATE INDEX staff_sessions_name ON staff_sessions(name)")


@migrations()
def m013_sale_lines_units_index(db):
    # Units sold per product straight from the index (the tills' best sellers): (sku, qty) serves every query
    # the (sku) index served, so it replaces it rather than adding a write per sale line.
    db.execute("CREATE INDEX sale_lines_sku_qty ON sale_lines(sku, qty)")
    db.execute("DROP INDEX sale_lines_sku")


@migrations()
def m014_product_images(db):
    # A product's picture as the catalog names it (a file of the images folder, or a path on the hub), or NULL.
    db.execute("ALTER TABLE products ADD COLUMN image TEXT")


@migrations()
def m015_books(db):
    # Issue 13, the books match the money. A line an offline till charged at another price than the hub's list
    # keeps the list price beside it, so the difference is on record and not silently rewritten.
    db.execute("ALTER TABLE sale_lines ADD COLUMN listed_price INTEGER")
    # Units an offline sale took that the hub's stock did not have free: the sale stands, the gap is settled
    # later by a count or a correction (rules/discrepancies.py).
    db.execute("""CREATE TABLE stock_discrepancies (
        discrepancy_id INTEGER PRIMARY KEY,
        sku TEXT NOT NULL REFERENCES products(sku),
        kind TEXT NOT NULL,
        qty INTEGER NOT NULL,
        sale_id TEXT NOT NULL,
        device TEXT NOT NULL,
        at TEXT NOT NULL,
        settled_at TEXT,
        settled_by TEXT,
        settlement TEXT)""")
    db.execute("CREATE INDEX stock_discrepancies_open ON stock_discrepancies(sku, settled_at)")
    # A refund of a sale with a 현금영수증 cancels that much of it: the tax service must be told the net.
    for column in ("cash_receipt_kind TEXT", "cash_receipt_number TEXT", "cash_receipt_amount INTEGER"):
        db.execute(f"ALTER TABLE refunds ADD COLUMN {column}")
    # An offline sale the hub could not understand is kept apart, but its cash is in the drawer.
    db.execute("ALTER TABLE replay_failures ADD COLUMN cash INTEGER NOT NULL DEFAULT 0")
    db.execute("ALTER TABLE replay_failures ADD COLUMN shift_id TEXT")
    # The staff screen's best sellers rank by net won: (sku, qty, amount) answers them, and the tills' units
    # per product, from the index alone (bench/books.py), so it replaces the (sku, qty) one.
    db.execute("CREATE INDEX sale_lines_sku_qty_amount ON sale_lines(sku, qty, amount)")
    db.execute("DROP INDEX sale_lines_sku_qty")
    # A closed day: its report and the digest of its events, so a later change to the day shows.
    db.execute("""CREATE TABLE day_closes (
        day TEXT PRIMARY KEY,
        closed_at TEXT NOT NULL,
        closed_by TEXT NOT NULL,
        first_seq INTEGER,
        last_seq INTEGER,
        event_count INTEGER NOT NULL,
        digest TEXT NOT NULL,
        report TEXT NOT NULL)""")


@migrations()
def m016_visitor_sessions(db):
    # Issue 16, visitors' own phones. A phone's session is a signed token the hub checks without this table;
    # the table is what the hub issued and the revocation list (rules/visitors.py). No name, no phone number.
    db.execute("""CREATE TABLE visitor_sessions (
        visitor TEXT PRIMARY KEY,
        created_at TEXT NOT NULL,
        expires_at TEXT NOT NULL,
        revoked_at TEXT,
        revoked_by TEXT)""")
    db.execute("CREATE INDEX visitor_sessions_created ON visitor_sessions(created_at)")
    # A visitor's orders and tickets are found by the phone's id (the device column), for its limits and `mine`.
    db.execute("CREATE INDEX holds_device_status ON holds(device, status)")
    db.execute("CREATE INDEX demo_tickets_device ON demo_tickets(device, slot_id)")

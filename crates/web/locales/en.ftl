site-name = Minbar
site-tagline = Coordination platform for civil-society networks
skip-to-content = Skip to content
nav-directory = Directory
nav-people = People
nav-sectors = Sectors
nav-areas = Areas
nav-sign-in = Sign in
nav-sign-out = Sign out
nav-new-org = New organisation
nav-languages = Language
signed-in-as = Signed in as { $email }

directory-title = Member directory
directory-filter-q = Name or acronym
directory-filter-kind = Kind
directory-filter-sector = Sector
directory-filter-area = Area
directory-filter-status = Membership
filter-any = Any
filter-apply = Filter
filter-clear = Clear
directory-count = { $count ->
    [one] One organisation
   *[other] { $count } organisations
}
directory-empty = No organisation matches these filters.
directory-export = Download (HXL CSV)
col-name = Name
col-acronym = Acronym
col-kind = Kind
col-status = Membership
col-sectors = Sectors
col-areas = Areas of work
page-prev = Previous
page-next = Next
page-of = Page { $page } of { $pages }

kind-member = Member organisation
kind-partner_body = Partner body
kind-ingo = International NGO
kind-un_agency = UN agency
kind-donor = Donor
kind-authority = Authority
status-applicant = Applicant
status-member = Member
status-suspended = Suspended
status-former = Former member
status-not_applicable = Not a member

map-title = Member organisations by area
map-members = { $count ->
    [one] one member organisation
   *[other] { $count } member organisations
}
map-none = no member organisation

field-acronym = Acronym
field-name_ar = Name in Arabic
field-name_en = Name in English
field-name_tr = Name in Turkish
field-kind = Kind
field-membership_status = Membership status
field-founding_year = Founding year
field-registration_country = Country of registration
field-registration_number = Registration number
field-registration_date = Registration date
field-hq_area = Headquarters
field-website = Website
field-email = E-mail
field-phone = Phone
field-description_ar = Description in Arabic
field-description_en = Description in English
field-description_tr = Description in Turkish
field-sectors = Sectors
field-areas = Areas of work
field-logo = Logo (PNG, JPEG or WebP, up to 2 MB)
field-none = None
hint-names = At least one name is required.
hint-date = Year-month-day, e.g. 2024-03-15

org-new-title = New organisation
org-edit-title = Edit { $name }
org-save = Save
org-cancel = Cancel
org-edit = Edit
org-delete = Delete
org-delete-confirm = Delete this organisation
org-history = Membership history
org-history-since = since { $date }
org-people = People
org-registration = Registration
org-contact = Contact
org-about = About
org-logo-upload = Upload logo
org-founded = Founded { $year }
form-errors-summary = Some fields need correcting; see the messages beside them.

conflict-title = Someone else changed this organisation
conflict-explain = While you were editing, the organisation was saved by someone else (version { $current }). Nothing has been overwritten. Compare your version with the saved one, then edit again.
conflict-yours = Your changes (not saved)
conflict-theirs = Saved now
conflict-reload = Edit the saved version

signin-title = Sign in
signin-email = E-mail
signin-password = Password
signin-submit = Sign in
signin-failed = The e-mail or password is not right.
signin-throttled = Too many attempts that failed. Wait { $seconds } seconds, then try again.

person-affiliations = Affiliations
person-committees = Committees
person-contact-hidden = Contact details are shown to signed-in members.
visibility-public = Public
visibility-members = Members
visibility-partners = Members and partners
visibility-coordinators = Coordinators
visibility-group = Group: { $name }

sectors-title = Sectors
sector-custom = Network's own
area-orgs = Organisations working here
area-level-0 = Country
area-level-1 = First-level area
area-level-2 = Second-level area
area-level-3 = Third-level area
area-children = Areas within
areas-title = Areas

error-title = Something went wrong
error-not_found = This page does not exist, or it has been removed.
error-forbidden = Your account may not do this.
error-unauthorized = Please sign in first.
error-internal = An error on our side. It has been logged; please try again.
error-bad_request = The request could not be understood.
error-back = Back to the directory

err-name_required = A name is required.
err-name_too_long = At most 200 characters, on one line.
err-text_has_control_chars = Contains invisible control characters.
err-acronym_invalid = 1 to 20 letters or digits, without spaces.
err-acronym_taken = Another organisation already has this acronym.
err-email_invalid = This is not an e-mail address.
err-url_invalid = A web address begins with https:// or http://.
err-phone_invalid = Digits, spaces and + - ( ) only, at least 5 digits.
err-year_invalid = A year between 1850 and 2100.
err-date_invalid = Not a valid date (year-month-day).
err-area_code_invalid = Not a valid area code.
err-area_unknown = No area has this code or name.
err-sector_code_invalid = Not a valid sector code.
err-sector_unknown = No sector has this code or name.
err-kind_invalid = Choose a kind.
err-status_invalid = Choose a membership status.
err-text_too_long = At most 10,000 characters.
err-logo_not_an_image = The file is not a PNG, JPEG or WebP image.
err-logo_too_large = The image is larger than 2 MB.
err-csrf = The form expired. Please submit it again.
err-org_unknown = No such organisation.
err-visibility_invalid = Choose who may see this.
err-role_invalid = Unknown role.
err-password_too_short = At least 12 characters.
err-email_taken = An account with this e-mail already exists.
err-conflict = Someone else changed this record since you read it.
err-malformed_json = The request body is not valid JSON.
err-unknown_field = The request body has a field this API does not know.
err-unsupported_media_type = Send JSON with Content-Type: application/json.
err-not_found = Not found.
err-forbidden = Not allowed for your role.
err-unauthorized = Sign in or send a token first.
err-internal = Internal error.
err-bad_request = Bad request.
err-version_required = Send the version you read in an If-Match header.
err-invalid_filter = A filter has a value this API does not know.
err-csrf_header = Send the X-CSRF-Token header with writes.
err-sector_code_taken = Another sector already has this code.
api-title = API
api-intro = The JSON API, described by its OpenAPI 3.1 document:
api-try = Open
err-acronym_repeated_in_file = This acronym is on an earlier row of the same file.
err-area_ambiguous = Several areas have this name; use the code.
err-sector_ambiguous = Several sectors have this name; use the code.
err-org_required_for_role = Focal points and members belong to an organisation.
import-title = Import into the directory
import-intro = Upload the member list as an HXL-tagged CSV file (the directory's download is one). Organisations are matched by acronym: existing ones are updated, new ones created. Nothing is written if any row has an error, unless you choose to import the valid rows.
import-file = File (CSV or Excel with a hashtag row)
import-dry-run = Check only, write nothing
import-valid-only = Import the valid rows and skip the others
import-submit = Import
import-result-written = Imported: { $created } created, { $updated } updated.
import-result-dry = Checked: { $created } would be created, { $updated } updated. Nothing was written.
import-result-refused = Nothing was written: { $count } problem(s) below. Correct the file and upload it again.
import-col-row = Row
import-col-column = Column
import-col-value = Value
import-col-reason = Reason
import-link = Import from a file
person-new-title = New person
person-edit-title = Edit { $name }
person-add = Add a person
person-delete = Delete this person
person-remove-affiliation = Remove
person-names-hint = A name in Arabic or in English is required. Contact details are shown only to those their visibility allows.
field-title_ar = Title in Arabic
field-title_en = Title in English
field-title_tr = Title in Turkish
field-from = From
field-to = Until
field-committees = Committees (one per line)
field-email_visibility = Who may see the e-mail
field-phone_visibility = Who may see the phone
field-org_id = Organisation
err-area_parent_unknown = The area above this one is not in the gazetteer (import it first, or in the same file).
directory-export-xlsx = Excel
import-what = What the file holds
import-what-organisations = Organisations
import-what-people = People
import-what-areas = Areas (OCHA p-code table)
conflict-title-record = Someone else changed this record
conflict-explain-record = While you were editing, the record was saved by someone else (version { $current }). Nothing has been overwritten. Compare your version with the saved one, then edit again.
search-title = Search
search-type = What
search-submit = Search
search-empty = Type a name, an acronym or a few words, in Arabic, Turkish or English.
search-none = Nothing found. Try fewer words, or another spelling.
search-count = { $count ->
    [one] One result
   *[other] { $count } results
}
search-kind-organisation = Organisation
search-kind-person = Person
search-kind-sector = Sector
search-kind-area = Area
err-search_unavailable = Search is not available right now; the directory still is.
typeahead-hint = Type to narrow the list
sector-new = New sector
sector-field-code = Code
sector-field-name_ar = Name in Arabic
sector-field-name_en = Name in English
sector-field-name_tr = Name in Turkish
sector-code-hint = Lower-case Latin letters, digits and _, e.g. livelihoods

## 4W
err-period_invalid = A month written year-month, such as 2026-03.
err-activity_status_invalid = Planned, ongoing, completed or suspended.
err-modality_invalid = In kind, cash or service.
err-count_invalid = A whole number of people, such as 350 or 1,250.
err-count_negative = Cannot be negative.
err-count_required = Give at least the total.
err-total_mismatch = The total does not equal women + men + girls + boys.
err-severity_invalid = Severity is 1 to 5.
err-end_before_start = The end is before the start.
err-org_ambiguous = Several organisations have this name; use the acronym.
err-reached_above_targeted = More people reached than targeted: check the figures.
err-round_locked = This period was submitted; the coordinator must return it before it can change.
err-period_wrong = This row is for another period than the one being imported.
err-activity_duplicate = This organisation already reported this activity (same period, sector, type, area, modality and donor): edit that one.
err-activity_repeated_in_file = The same activity is on an earlier row of this file.
err-need_repeated_in_file = The same area, sector and period is on an earlier row of this file.
err-round_move_invalid = The report cannot move to this state from where it is.

## 4W pages
nav-4w = 4W
fw-title = Who does what where
fw-activities = Activities
fw-activity = Activity
fw-add-activity = Add an activity
fw-edit-activity = Edit the activity
fw-area = Area
fw-area-code = Area code
fw-sector = Sector
fw-org = Organisation
fw-period = Month
fw-status = Status
fw-women = Women
fw-men = Men
fw-girls = Girls
fw-boys = Boys
fw-total = Total
fw-people = People
fw-targeted = Targeted
fw-reached = Reached
fw-pin = People in need
fw-coverage = Coverage
fw-severity = Severity
fw-gap = Gap
fw-orgs = Organisations
fw-comment = Comment for the organisation
fw-copy-forward = Copy last month's activities
fw-delete = Delete
fw-donor = Donor
fw-start = Start
fw-end = End
fw-modality = Modality
fw-notes = Notes
fw-households = Households reached
fw-download-csv = CSV
fw-download-svg = SVG
fw-export-csv = Export activities (HXL CSV)
fw-export-xlsx = Export activities (Excel)
fw-empty = No activity or need recorded for these filters.
fw-gaps-title = Gaps
fw-gaps-hint = Severity 4 or 5 and under half of the people in need reached.
fw-gaps-none = No gap for these filters.
fw-matrix-title = Areas and sectors
fw-matrix-hint = People reached, coverage of people in need, and organisations present in each province and sector.
fw-map-title = Coverage by province
fw-trend-title = People reached by month
fw-numbers = The numbers
fw-import-title = Upload 4W data
fw-import-link = Upload a file
fw-import-activities = Activities
fw-import-needs = Needs
fw-import-intro = An Excel, CSV or JSON file with a row of HXL hashtags (#org, #sector, #adm1, #date+period, #targeted, #reached …), or with headers in Arabic, Turkish or English that Minbar recognises. Organisations, areas and sectors may be written as codes or names. Check first (nothing is written), then upload again without the check.
fw-import-mapping = Columns read from the headers
fw-import-missing = The file lacks columns Minbar needs: { $columns }.
fw-import-period = Month of the report
fw-import-period-hint = Rows of any other month are refused; rows without a month are given this one.
fw-import-warnings = Warnings (imported, but check them)
fw-report-title = Monthly report
fw-report-link = Report activities
fw-report-empty = No activity yet for this month.
fw-reporting-orgs = Organisations reporting
fw-rounds-title = Reporting round
fw-rounds-link = Review the reports
fw-rounds-summary = Reports this month
fw-round-state = Report
fw-review = Review
fw-submit = Submit the report
fw-validate = Validate
fw-return = Return
fw-legend-0 = no figure
fw-legend-1 = under 25%
fw-legend-2 = 25–50%
fw-legend-3 = 50–75%
fw-legend-4 = 75% and more
fw-modality-in_kind = In kind
fw-modality-cash = Cash
fw-modality-service = Service
fw-notice-saved = Saved.
fw-notice-deleted = Deleted.
fw-notice-copied = Last month's activities were copied: update the figures reached.
fw-notice-copied-none = Nothing to copy from last month.
fw-notice-submitted = The report was submitted to the secretariat.
fw-round-not_started = Not started
fw-round-draft = Draft
fw-round-submitted = Submitted
fw-round-validated = Validated
fw-round-returned = Returned
fw-status-planned = Planned
fw-status-ongoing = Ongoing
fw-status-completed = Completed
fw-status-suspended = Suspended
fw-orgs-count = { $count ->
    [0] no organisation
    [one] one organisation
   *[other] { $count } organisations
}
fw-template = Excel template for this month
fw-org-hint = acronym
fw-needs-title = People in need
fw-needs-hint = The latest figure for an area and sector counts for later months too, until a newer one is recorded.
fw-needs-none = No need recorded for this month.
fw-add-need = Record people in need
fw-source = Source
fw-import-changes = Row by row
fw-row-added = added
fw-row-changed = updated an activity already there
fw-row-will-add = will be added
fw-row-will-change = will update an activity already there
fw-import-more = { $count ->
    [one] and one more row
   *[other] and { $count } more rows
}
err-column_unused = This column is not one Minbar reads for 4W; it was left out.
err-column_misspelled = This hashtag is not one Minbar reads; did you mean the one in brackets? The column was left out.

## Account: sessions, tokens, password
account-title = My account
account-sessions = Where you are signed in
account-signed-in = Signed in (UTC)
account-last-seen = Last seen (UTC)
account-address = Address
account-browser = Browser
account-this-session = This session
account-revoke = End
account-revoked = Revoked
account-never = Never
account-session-revoked = The session has ended.
account-tokens = Personal API tokens
account-tokens-help = A token lets a script use the JSON API in your name: send it as "Authorization: Bearer …". A read token can only read.
account-token-name = What it is for
account-token-scope = Allows
account-scope-read = Reading only
account-scope-write = Reading and writing
account-created = Created (UTC)
account-last-used = Last used (UTC)
account-token-create = Create a token
account-token-created = Token created.
account-token-once = Copy it now: it is shown this once and cannot be shown again.
account-token-revoked = The token is revoked.
account-password = Change your password
account-password-current = Current password
account-password-new = New password
account-password-again = New password again
account-password-help = At least 12 characters and hard to guess: a few unrelated words work well. Every session ends and you sign in again.
account-password-save = Change password
nav-account = My account
role-admin = Administrator
role-coordinator = Coordinator
role-focal_point = Focal point
role-member = Member
role-partner = Partner
err-password_too_weak = This password is too easy to guess: add a few unrelated words, or make it longer.
err-password_mismatch = The two new passwords differ.
err-password_current_wrong = The current password is not right.
err-token_name_invalid = Give the token a name of up to 100 characters.
err-too_many_requests = Too many requests. Wait a moment and try again.

## Audit trail
audit-title = Audit trail
nav-audit = Audit
audit-holds = The chain of entries is intact: none was altered, removed or inserted.
audit-broken = The audit trail has been tampered with: { $problem }.
audit-user = User
audit-org = Organisation (acronym)
audit-entity = Record
audit-entity-id = Record number
audit-from = From
audit-to = To
audit-export = Download as CSV
audit-when = When (UTC)
audit-via = Through
audit-action = Action
audit-before = Before
audit-after = After
audit-changes = What changed
audit-count = { $count ->
    [one] One entry
   *[other] { $count } entries
}

## Invitations and password resets
invite-title = Invite someone
nav-invite = Invite
invite-role = Role
invite-org = Organisation
invite-org-help = For members and focal points.
invite-lang = Language of the invitation
invite-submit = Send the invitation
invite-sent = The invitation is on its way to { $email }. The link works once, for a week.
invite-no-mail = E-mail is not configured on this server: give this link to the person yourself. It works once, for a week.
invitation-title = Set up your account
link-dead = This link has been used or has expired. Ask for a new one.
set-password-submit = Save the password
signin-forgot = Forgot your password?
reset-title = Choose a new password
reset-help = Give the e-mail address of your account: we send a link to choose a new password. It works once, for an hour.
reset-submit = Send the link
reset-sent = If an account uses this address, a link is on its way. Look in your mail, and in its spam folder.
reset-no-mail = E-mail is not configured on this server: ask a coordinator to set a new password for you.
mail-invite-subject = Your invitation to Minbar
mail-invite-body = { $inviter } invites you to Minbar as { $role }.
    
    Open this link to choose your password (it works once, for a week):
    { $link }
    
    If you did not expect this, ignore this message.
mail-reset-subject = Choose a new Minbar password
mail-reset-body = Someone asked to change the password of your Minbar account.
    
    Open this link to choose a new one (it works once, for an hour):
    { $link }
    
    If it was not you, ignore this message: your password stays as it is.
err-reference_unknown = That refers to a record that does not exist.

## Two-factor sign-in
account-2fa = Two-factor sign-in
account-2fa-help = Besides your password, ask for a code from an authenticator app on your phone (any app that reads QR codes for "TOTP", such as FreeOTP, Aegis or Google Authenticator). A stolen password is then not enough.
account-2fa-start = Set it up
account-2fa-step-scan = Scan this code with the app:
account-2fa-step-key = Or type this key into it:
account-2fa-step-code = Then type the six digits the app shows:
account-2fa-confirm = Turn it on
account-2fa-is-on = Two-factor sign-in is on: each sign-in asks for a code from your app.
account-2fa-on = Two-factor sign-in is on.
account-2fa-turn-off = Turn it off
account-2fa-must = Your role must sign in with a code as well as a password. Set it up to continue.
account-2fa-roles = Roles that must use two-factor sign-in
account-2fa-roles-save = Save
account-2fa-roles-saved = Saved: accounts of these roles set it up at their next step.
signin-code = Code from the app
signin-code-help = Your password was right. Now type the six digits your authenticator app shows for Minbar.
signin-code-failed = That code is not right, or it has been used. Try the next one.
err-code_wrong = That code is not right. Type the six digits the app shows now.
err-two_factor_not_started = Set up two-factor sign-in first.
err-two_factor_already_on = Two-factor sign-in is already on.
err-two_factor_required = Your role must use two-factor sign-in: set it up first.

## Named groups
groups-title = Groups
nav-groups = Groups
groups-help = A contact detail can be shown to one group only (and to the secretariat): a working group, a committee.
groups-empty = No one yet.
groups-remove = remove
groups-add = Add
groups-new = A new group
groups-name = Name
groups-create = Create the group
err-group_name_invalid = Give the group a name of up to 100 characters.
err-group_name_taken = A group has this name already.
err-group_unknown = There is no such group.
err-account_unknown = No account has this e-mail address.

## Endorsement
err-share_invalid = A share between 0 and 100 %, such as 50, 66.67 % or 2/3.
err-window_invalid = The closing time must come after the opening time.
err-endorsement_not_open = Answers are not taken yet: the endorsement period has not opened.
err-endorsement_closed = The endorsement period has closed: answers are no longer taken.

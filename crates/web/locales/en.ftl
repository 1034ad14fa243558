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

person-affiliations = Affiliations
person-committees = Committees
person-contact-hidden = Contact details are shown to signed-in members.
visibility-public = Public
visibility-members = Members
visibility-coordinators = Coordinators

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
err-area_unknown = No area has this code.
err-sector_code_invalid = Not a valid sector code.
err-sector_unknown = No sector has this code.
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

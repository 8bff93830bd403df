"""Issue 23 in the SPA: reporting a post and a chat message, blocking from a conversation, and a
moderator hiding a reported post and suspending its seller, who sees why and is refused at
login with the reason; axe and screenshots of every new page at both widths."""

import re

from sqlalchemy import select

from app.common.CommonHelpers import utc_now
from app.demo.DemoModeration import SUSPENSION_REASON
from app.demo.DemoUsers import DEMO_EMAIL_DOMAIN, DEMO_PASSWORD
from app.extensions import db
from app.moderation.ModerationModels import Report
from app.users.UserModels import User
from tests import factories
from tests.browser import test_Accessibility
from tests.browser.base import DESKTOP, PHONE, BrowserTestCase, expect


def verified_user(username, display_name, **fields):
  return factories.make_user(
    username, display_name=display_name, email_verified_at=utc_now(), **fields
  )


class SafetySeed:
  """A seller with a post, a buyer chatting with her, two more students and a moderator."""

  def logged_in_client(self, user):
    """One API client per user (logins are rate-limited per account and address)."""
    clients = self.__dict__.setdefault('api_clients', {})
    if user.id not in clients:
      clients[user.id] = super().logged_in_client(user)
    return clients[user.id]

  def seed_safety(self):
    self.seller = verified_user('maya', 'Maya Chen')
    self.buyer = verified_user('leo', 'Leo Park')
    self.others = [verified_user('sam', 'Sam Ortiz'), verified_user('ana', 'Ana Ruiz')]
    self.moderator = verified_user('mona', 'Mona Mod', role='moderator')
    self.admin = verified_user('adam', 'Adam Admin', admin=True)
    seller_client = self.logged_in_client(self.seller)
    buyer_client = self.logged_in_client(self.buyer)
    body = {
      'title': 'Brand-new iPhone, $50',
      'description': 'Still sealed. Pay by gift card before we meet.',
      'price_cents': 5000,
      'category': 'electronics',
      'condition': 'new',
    }
    self.post_id = self.api_ok('post', '/api/posts', seller_client, 201, json=body)['post']['id']
    conversation = self.api_ok(
      'post', f'/api/posts/{self.post_id}/conversations', buyer_client, 201
    )
    self.conversation_id = conversation['conversation']['id']
    self.message_ids = []
    for client, text in (
      (buyer_client, 'Hi! Can I see it before paying?'),
      (seller_client, 'No. Gift card first or forget it, idiot.'),
      (buyer_client, 'OK, no thanks then.'),
    ):
      path = f'/api/conversations/{self.conversation_id}/messages'
      self.message_ids.append(
        self.api_ok('post', path, client, 201, json={'body': text})['message']['id']
      )

  def report_via_api(
    self, user, target_type, target_id, reason='scam', note='Too good to be true.'
  ):
    body = {'target_type': target_type, 'target_id': target_id, 'reason': reason, 'note': note}
    self.api_ok('post', '/api/reports', self.logged_in_client(user), 201, json=body)

  def reports_by(self, user):
    return db.session.execute(select(Report).where(Report.reporter_id == user.id)).scalars().all()


def accept_dialogs(page, messages):
  """Accept every window.confirm of `page`, keeping its question."""
  page.on('dialog', lambda dialog: (messages.append(dialog.message), dialog.accept()))


class TrustAndSafetyTest(SafetySeed, BrowserTestCase):
  def test_report_a_post_and_a_chat_message(self):
    self.seed_safety()
    buyer = self.new_page()
    self.log_in_in_browser(buyer, self.buyer)
    buyer.goto(f'/posts/{self.post_id}')
    buyer.get_by_role('button', name='Report this post').click()
    dialog = buyer.get_by_test_id('report-dialog')
    expect(dialog).to_be_visible()
    expect(
      dialog.get_by_role('heading', name='Report the post “Brand-new iPhone, $50”')
    ).to_be_visible()
    # The reason is chosen from the API's list; without one the dialog says so.
    self.assertIn('Prohibited item', dialog.get_by_label('Reason').inner_text())
    dialog.get_by_role('button', name='Send report').click()
    expect(dialog.get_by_role('alert')).to_have_text('Choose the reason for your report.')
    dialog.get_by_label('Reason').select_option('scam')
    dialog.get_by_label('Note (optional)').fill('Asks for a gift card up front.')
    expect(dialog.locator('.field__counter')).to_have_text('30 / 1,000 characters')
    dialog.get_by_role('button', name='Send report').click()
    expect(dialog).to_have_count(0)
    expect(buyer.locator('.flash')).to_contain_text('A moderator will look at your report')
    expect(buyer.get_by_test_id('report-button')).to_have_text('Reported')
    (report,) = self.reports_by(self.buyer)
    self.assertEqual(
      (report.target_type, report.target_id, report.reason), ('post', self.post_id, 'scam')
    )
    self.assertEqual(report.note, 'Asks for a gift card up front.')

    # A second report of the same post while the first is open: the API's 409, in the dialog.
    buyer.reload()
    buyer.get_by_test_id('report-button').click()
    dialog.get_by_label('Reason').select_option('counterfeit')
    dialog.get_by_role('button', name='Send report').click()
    expect(dialog.get_by_role('alert')).to_have_text(
      'You already reported this; a moderator will look at it.'
    )
    dialog.get_by_role('button', name='Cancel').click()
    expect(dialog).to_have_count(0)

    # Each of the other person's messages can be reported; my own cannot.
    buyer.goto(f'/conversations/{self.conversation_id}')
    thread = buyer.get_by_test_id('thread')
    expect(thread.locator('.message')).to_have_count(3)
    expect(thread.get_by_test_id('report-message')).to_have_count(1)
    rude = thread.locator(f'[data-message-id="{self.message_ids[1]}"]')
    rude.get_by_test_id('report-message').click()
    dialog.get_by_label('Reason').select_option('harassment')
    dialog.get_by_role('button', name='Send report').click()
    expect(dialog).to_have_count(0)
    expect(rude.get_by_test_id('report-message')).to_have_text('Reported')
    targets = sorted((item.target_type, item.target_id) for item in self.reports_by(self.buyer))
    self.assertEqual(targets, [('message', self.message_ids[1]), ('post', self.post_id)])

    # My reports on the profile page, both open.
    buyer.goto('/profile')
    mine = buyer.get_by_test_id('my-reports').get_by_test_id('my-report')
    expect(mine).to_have_count(2)
    expect(mine.first).to_contain_text('Harassment')
    expect(mine.first).to_contain_text('Open')
    expect(mine.nth(1)).to_contain_text(f'Post #{self.post_id}')
    self.assert_page_clean()

  def test_the_daily_report_limit_is_said_in_the_dialog(self):
    self.seed_safety()
    for number in range(20):
      post = factories.make_post(self.others[0], title=f'Spam post {number}')
      self.report_via_api(self.buyer, 'post', post.id, 'spam')
    buyer = self.new_page()
    self.log_in_in_browser(buyer, self.buyer)
    buyer.goto(f'/posts/{self.post_id}')
    buyer.get_by_test_id('report-button').click()
    dialog = buyer.get_by_test_id('report-dialog')
    dialog.get_by_label('Reason').select_option('scam')
    dialog.get_by_role('button', name='Send report').click()
    expect(dialog.get_by_role('alert')).to_have_text(
      'You have filed the most reports Dibz takes from one person in a day. Try again tomorrow.'
    )
    self.assertEqual(len(self.reports_by(self.buyer)), 20)
    self.assert_page_clean()

  def test_block_from_a_conversation_and_the_other_side_can_no_longer_message(self):
    self.seed_safety()
    buyer = self.new_page()
    seller = self.new_page()
    self.log_in_in_browser(buyer, self.buyer)
    self.log_in_in_browser(seller, self.seller)
    # The seller's thread is open before the block: her next message is refused.
    seller.goto(f'/conversations/{self.conversation_id}')
    expect(seller.get_by_test_id('composer')).to_be_visible()

    buyer.goto(f'/conversations/{self.conversation_id}')
    questions = []
    accept_dialogs(buyer, questions)
    buyer.get_by_role('button', name='Block Maya Chen').click()
    closed = buyer.get_by_test_id('chat-closed')
    expect(closed).to_have_text('You blocked Maya Chen. Unblock them to message each other again.')
    self.assertIn('Maya Chen is not told', questions[0])
    expect(buyer.get_by_test_id('composer')).to_have_count(0)
    expect(buyer.get_by_role('button', name='Unblock Maya Chen')).to_be_visible()

    seller.get_by_label('Message').fill('Hello? Still want it?')
    seller.get_by_role('button', name='Send').click()
    expect(seller.get_by_test_id('chat-closed')).to_have_text('You can no longer message Leo Park.')
    expect(seller.get_by_test_id('composer')).to_have_count(0)
    # She is not told it is a block: no Unblock for her, only Block.
    expect(seller.get_by_role('button', name='Unblock Leo Park')).to_have_count(0)
    seller.reload()
    expect(seller.get_by_test_id('chat-closed')).to_have_text('You can no longer message Leo Park.')

    # The block list on the buyer's profile, with Unblock; the composer comes back.
    buyer.goto('/profile')
    blocked = buyer.get_by_test_id('blocks').get_by_test_id('blocked-user')
    expect(blocked).to_have_count(1)
    expect(blocked).to_contain_text('Maya Chen')
    blocked.get_by_role('button', name='Unblock Maya Chen').click()
    expect(buyer.get_by_test_id('blocks')).to_contain_text('You have not blocked anyone.')
    buyer.goto(f'/conversations/{self.conversation_id}')
    expect(buyer.get_by_test_id('composer')).to_be_visible()
    self.assert_page_clean()

  def test_block_and_report_from_a_public_profile(self):
    self.seed_safety()
    buyer = self.new_page()
    self.log_in_in_browser(buyer, self.buyer)
    accept_dialogs(buyer, [])
    buyer.goto('/users/maya')
    expect(buyer.locator('.post-card')).to_have_count(1)
    buyer.get_by_role('button', name='Block Maya Chen').click()
    expect(buyer.get_by_test_id('blocked-note')).to_have_text('You blocked Maya Chen.')
    expect(buyer.get_by_text('Maya Chen has nothing for sale right now.')).to_be_visible()
    buyer.get_by_role('button', name='Report Maya Chen').click()
    dialog = buyer.get_by_test_id('report-dialog')
    dialog.get_by_label('Reason').select_option('harassment')
    dialog.get_by_role('button', name='Send report').click()
    expect(dialog).to_have_count(0)
    self.assertEqual(
      [(r.target_type, r.target_id) for r in self.reports_by(self.buyer)],
      [('user', self.seller.id)],
    )
    buyer.get_by_role('button', name='Unblock Maya Chen').click()
    expect(buyer.locator('.post-card')).to_have_count(1)
    # My own profile has neither button.
    buyer.goto('/users/leo')
    expect(buyer.locator('main h1')).to_have_text('Leo Park')
    expect(buyer.get_by_test_id('profile-actions')).to_have_count(0)
    self.assert_page_clean()

  def test_a_moderator_hides_a_reported_post_and_suspends_its_seller(self):
    self.seed_safety()
    for reporter, reason in ((self.buyer, 'scam'), (self.others[0], 'prohibited_item')):
      self.report_via_api(reporter, 'post', self.post_id, reason)

    # A student has no Moderation link, and the console's address says it is not for them.
    student = self.new_page()
    self.log_in_in_browser(student, self.others[1])
    expect(student.get_by_role('link', name='Moderation')).to_have_count(0)
    student.goto('/moderation')
    expect(student.get_by_test_id('forbidden')).to_contain_text('Moderators only')
    student.goto('/moderation/audit')
    expect(student.get_by_test_id('forbidden')).to_be_visible()

    seller = self.new_page()
    self.log_in_in_browser(seller, self.seller)

    moderator = self.new_page()
    self.log_in_in_browser(moderator, self.moderator)
    questions = []
    accept_dialogs(moderator, questions)
    moderator.get_by_role('link', name='Moderation').click()
    item = moderator.get_by_test_id('queue-item').filter(has_text='Brand-new iPhone')
    expect(item).to_contain_text(
      '2 open reports: Scam or fraud ×1, Prohibited item ×1. About @maya.'
    )
    expect(item).to_contain_text('Pay by gift card before we meet.')
    item.get_by_label('Reason').fill('Gift-card scams are not allowed on Dibz')
    item.get_by_test_id('decide-hide_post').click()
    expect(moderator.locator('.flash')).to_contain_text('Decided 2 reports: Hide post.')
    self.assertIn('Hide “Brand-new iPhone, $50”?', questions[-1])
    expect(moderator.get_by_text('No open reports.')).to_be_visible()

    # The seller sees why on her post's page (nobody else can open it).
    seller.goto(f'/posts/{self.post_id}')
    notice = seller.get_by_test_id('moderation-notice')
    expect(notice).to_contain_text('Hidden until a moderator reviews it.')
    expect(notice).to_contain_text('Why: Gift-card scams are not allowed on Dibz.')
    student.goto(f'/posts/{self.post_id}')
    expect(student.get_by_test_id('not-found')).to_be_visible()
    seller.goto(f'/my-posts?post={self.post_id}')
    expect(seller.get_by_test_id('moderation-notice')).to_have_text(
      'Hidden until a moderator reviews it: Gift-card scams are not allowed on Dibz. '
      'Nobody else can see it.'
    )

    # Then her account: suspended for 3 days, from the account tool.
    tool = moderator.get_by_test_id('account-tool')
    tool.get_by_label('Username').fill('maya')
    tool.get_by_role('button', name='Find').click()
    actions = tool.get_by_test_id('account-actions')
    actions.get_by_label('Reason').fill('Repeated gift-card scams')
    actions.get_by_label('Days of suspension').fill('3')
    actions.get_by_role('button', name='Suspend @maya').click()
    expect(moderator.locator('.flash')).to_contain_text('@maya is suspended until')
    self.assertIn('Suspend @maya for 3 days?', questions[-1])
    suspended = moderator.get_by_test_id('suspensions').get_by_test_id('suspended-account')
    expect(suspended).to_have_count(1)
    expect(suspended).to_contain_text('@maya · Suspended until')
    expect(suspended).to_contain_text('Repeated gift-card scams')
    db.session.expire_all()
    self.assertTrue(db.session.get(User, self.seller.id).is_suspended())

    # Her session ended: the next page asks her to log in, and login says why and until when.
    seller.goto('/my-posts')
    expect(seller).to_have_url(re.compile(r'/login\?next='))
    seller.get_by_label('Email').fill(self.seller.email)
    seller.get_by_label('Password').fill(factories.DEFAULT_PASSWORD)
    seller.get_by_role('button', name='Log in').click()
    refusal = seller.get_by_test_id('login-form').get_by_role('alert')
    expect(refusal).to_contain_text('Your account is suspended until')
    expect(refusal).to_contain_text('Repeated gift-card scams')

    # The admin reads both actions in the audit log, and filters it.
    admin = self.new_page()
    self.log_in_in_browser(admin, self.admin)
    admin.goto('/moderation')
    admin.get_by_role('link', name='Audit log').click()
    entries = admin.get_by_test_id('audit-entry')
    expect(entries).to_have_count(2)
    expect(entries.first).to_contain_text('Suspend')
    expect(entries.first).to_contain_text(f'by moderator #{self.moderator.id}')
    admin.get_by_label('Action').select_option('hide_post')
    admin.get_by_role('button', name='Filter').click()
    expect(entries).to_have_count(1)
    expect(entries.first).to_contain_text('Gift-card scams are not allowed on Dibz')
    expect(admin).to_have_url(re.compile(r'/moderation/audit\?action=hide_post$'))
    # The moderator (no admin) has no audit log.
    moderator.goto('/moderation/audit')
    expect(moderator.get_by_test_id('forbidden')).to_contain_text('for Dibz admins')
    self.assert_page_clean()


class TrustAndSafetyPagesTest(SafetySeed, BrowserTestCase):
  """axe at both widths and screenshots of each new page and state."""

  check_page = test_Accessibility.AccessibilityTest.check_page

  def capture(self, page, name, ready):
    expect(ready.first).to_be_visible()
    self.screenshot(page, f'{name}-desktop')
    page.set_viewport_size(PHONE)
    expect(ready.first).to_be_attached()
    self.screenshot(page, f'{name}-phone')
    page.set_viewport_size(DESKTOP)

  def visit(self, page, path, name, ready):
    if path:
      page.goto(path)
    self.check_page(page, name, ready)
    self.capture(page, name, ready)

  def test_new_pages_have_no_serious_or_critical_violations_and_are_drawn(self):
    self.axe = test_Accessibility.axe_source()
    self.seed_safety()
    self.report_via_api(self.buyer, 'post', self.post_id, 'scam')
    self.report_via_api(self.others[0], 'post', self.post_id, 'counterfeit')
    self.report_via_api(self.buyer, 'message', self.message_ids[1], 'harassment', 'Rude.')
    self.report_via_api(self.others[1], 'user', self.seller.id, 'spam', '')
    self.api_ok('put', '/api/users/maya/block', self.logged_in_client(self.buyer), 201)

    moderator = self.new_page()
    self.log_in_in_browser(moderator, self.moderator)
    self.visit(
      moderator, '/moderation', 'moderation-queue', moderator.get_by_test_id('reported-message')
    )
    admin = self.new_page()
    self.log_in_in_browser(admin, self.admin)
    self.api_ok(
      'post',
      f'/api/moderation/users/{self.others[1].id}/warning',
      self.logged_in_client(self.admin),
      json={'reason': 'Please keep reports honest.'},
    )
    self.visit(admin, '/moderation/audit', 'moderation-audit', admin.get_by_test_id('audit-entry'))

    buyer = self.new_page()
    self.log_in_in_browser(buyer, self.buyer)
    self.visit(buyer, '/profile', 'profile-safety', buyer.get_by_test_id('blocked-user'))
    self.visit(
      buyer,
      f'/conversations/{self.conversation_id}',
      'chat-blocked',
      buyer.get_by_test_id('chat-closed'),
    )
    self.visit(buyer, '/users/maya', 'user-profile-blocked', buyer.get_by_test_id('blocked-note'))
    buyer.get_by_role('button', name='Report Maya Chen').click()
    self.visit(buyer, None, 'report-dialog', buyer.get_by_test_id('report-dialog'))

    student = self.new_page()
    self.log_in_in_browser(student, self.others[1])
    self.visit(student, '/moderation', 'moderation-forbidden', student.get_by_test_id('forbidden'))
    seller = self.new_page()
    self.log_in_in_browser(seller, self.seller)
    self.api_ok(
      'post',
      f'/api/moderation/targets/post/{self.post_id}/decision',
      self.logged_in_client(self.moderator),
      json={'action': 'hide_post', 'reason': 'Gift-card scam'},
    )
    self.visit(
      seller, f'/posts/{self.post_id}', 'post-hidden', seller.get_by_test_id('moderation-notice')
    )
    # The reporter's notification opens their reports, this one decided.
    buyer.goto('/notifications')
    buyer.get_by_role(
      'link', name='A moderator decided on your report: the post was hidden.'
    ).click()
    expect(buyer).to_have_url(f'{self.base_url}/my-reports')
    decided = buyer.get_by_test_id('my-report').filter(has_text=f'Post #{self.post_id}')
    expect(decided).to_contain_text('Decided')
    expect(decided).to_contain_text('the post was hidden')
    self.visit(buyer, None, 'my-reports', decided)
    self.assert_page_clean()


class DemoModerationTest(BrowserTestCase):
  def test_the_demo_seed_fills_the_console_and_a_suspension_can_be_lifted(self):
    result = self.app.test_cli_runner().invoke(args=['seed', '--posts', '20'])
    self.assertEqual(result.exit_code, 0, result.output)
    self.assertIn('moderation: 3 open reports, hiro suspended for 7 days', result.output)
    admin = self.new_page()
    admin.goto('/login')
    admin.get_by_label('Email').fill(f'admin@{DEMO_EMAIL_DOMAIN}')
    admin.get_by_label('Password').fill(DEMO_PASSWORD)
    admin.get_by_role('button', name='Log in').click()
    admin.get_by_role('link', name='Moderation').click()
    items = admin.get_by_test_id('queue-item')
    expect(items).to_have_count(2)
    expect(items.first).to_contain_text(
      '2 open reports: Scam or fraud ×1, Counterfeit ×1. About @dev.'
    )
    expect(items.nth(1)).to_contain_text('User:')
    expect(items.nth(1)).to_contain_text('Harassment ×1')
    suspended = admin.get_by_test_id('suspended-account')
    expect(suspended).to_have_count(1)
    expect(suspended).to_contain_text('@hiro · Suspended until')
    expect(suspended).to_contain_text(SUSPENSION_REASON)
    admin.on('dialog', lambda dialog: dialog.accept())
    suspended.get_by_role('button', name='Lift the suspension of @hiro').click()
    expect(admin.get_by_text('Nobody is suspended or banned.')).to_be_visible()
    login = {'email': f'hiro@{DEMO_EMAIL_DOMAIN}', 'password': DEMO_PASSWORD}
    self.assertEqual(self.api('post', '/api/auth/login', json=login).status_code, 200)
    self.assert_page_clean()

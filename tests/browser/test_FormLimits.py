"""Every form of the SPA takes its bounds from the server's constants, through the shell."""

from app.chat.ChatConstants import MAX_MESSAGE_PAGE_SIZE, MESSAGE_BODY_MAX_LENGTH
from app.posts import PostConstants
from app.search.SearchConstants import QUERY_MAX_LENGTH
from app.users import UserConstants
from tests.browser.base import BrowserTestCase, expect
from tests.factories import make_post, make_user

# name → maxLength of every bounded control on the page.
BOUNDED_CONTROLS = """() => Object.fromEntries(
  [...document.querySelectorAll('#app [maxlength]')].map((control) => [control.name, control.maxLength]))"""

EMAIL = UserConstants.EMAIL_MAX_LENGTH
PASSWORD = UserConstants.PASSWORD_MAX_LENGTH


class FormLimitsTest(BrowserTestCase):
  def bounded_controls(self, page, path, ready_selector):
    page.goto(path)
    page.wait_for_selector(ready_selector)
    return page.evaluate(BOUNDED_CONTROLS)

  def test_anonymous_forms_are_bounded_like_the_server(self):
    page = self.new_page()
    self.assertEqual(
      self.bounded_controls(page, '/signup', '[data-testid="signup-form"]'),
      {
        'email': EMAIL,
        'username': UserConstants.USERNAME_MAX_LENGTH,
        'display_name': UserConstants.DISPLAY_NAME_MAX_LENGTH,
        'password': PASSWORD,
      },
    )
    hints = page.locator('.field__hint').all_inner_texts()
    self.assertIn(
      f'{UserConstants.USERNAME_MIN_LENGTH} to {UserConstants.USERNAME_MAX_LENGTH} lower-case '
      'letters, digits or _.',
      hints,
    )
    self.assertIn(f'At least {UserConstants.PASSWORD_MIN_LENGTH} characters.', hints)
    self.assertEqual(
      self.bounded_controls(page, '/login', '[data-testid="login-form"]'),
      {'email': EMAIL, 'password': PASSWORD},
    )
    self.assertEqual(
      self.bounded_controls(page, '/forgot-password', '[data-testid="forgot-form"]'),
      {'email': EMAIL},
    )
    self.assertEqual(
      self.bounded_controls(page, '/reset-password?token=x', '[data-testid="reset-form"]'),
      {'new_password': PASSWORD},
    )
    self.assertEqual(
      self.bounded_controls(page, '/search', 'input[name="q"]'),
      {'q': QUERY_MAX_LENGTH},
    )
    page.goto('/')
    max_price = page.get_by_label('Max price ($)')
    expect(max_price).to_have_attribute('min', '0')
    expect(max_price).to_have_attribute('max', str(PostConstants.PRICE_MAX_CENTS // 100))
    self.assert_page_clean()

  def test_logged_in_forms_are_bounded_like_the_server(self):
    seller = make_user(username='sam')
    buyer = make_user(username='bea')
    post = make_post(seller=seller, title='Desk lamp')
    conversation = self.api_ok(
      'post', f'/api/posts/{post.id}/conversations', self.logged_in_client(buyer), status=201
    )['conversation']
    page = self.new_page()
    self.log_in_in_browser(page, buyer)
    self.assertEqual(
      self.bounded_controls(page, '/profile', '[data-testid="profile-form"]'),
      {
        'display_name': UserConstants.DISPLAY_NAME_MAX_LENGTH,
        'bio': UserConstants.BIO_MAX_LENGTH,
        'current_password': PASSWORD,
        'new_password': PASSWORD,
        # My data: the password that confirms the deletion of the account.
        'password': PASSWORD,
      },
    )
    self.assertEqual(
      self.bounded_controls(page, '/posts/new', '[data-testid="post-form"]'),
      {
        'title': PostConstants.TITLE_MAX_LENGTH,
        'description': PostConstants.DESCRIPTION_MAX_LENGTH,
      },
    )
    megabytes = PostConstants.MAX_IMAGE_BYTES // 2**20
    expect(page.locator('[data-field="image"] .field__hint')).to_have_text(
      f'JPEG, PNG or WebP, up to {megabytes} MB each, {PostConstants.MAX_IMAGES_PER_POST} per post.'
      ' The first photo is the cover.'
    )
    with page.expect_request(lambda request: '/messages?' in request.url) as first_poll:
      page.goto(f'/conversations/{conversation["id"]}')
    self.assertIn(f'limit={MAX_MESSAGE_PAGE_SIZE}', first_poll.value.url)
    page.wait_for_selector('[data-testid="composer"]')
    self.assertEqual(page.evaluate(BOUNDED_CONTROLS), {'body': MESSAGE_BODY_MAX_LENGTH})
    self.assert_page_clean()

  def test_a_display_name_cannot_be_typed_longer_than_the_server_keeps(self):
    user = make_user(username='lena')
    page = self.new_page()
    self.log_in_in_browser(page, user)
    page.goto('/profile')
    field = page.get_by_label('Display name')
    field.fill('')
    field.press_sequentially('x' * (UserConstants.DISPLAY_NAME_MAX_LENGTH + 10))
    expect(field).to_have_value('x' * UserConstants.DISPLAY_NAME_MAX_LENGTH)
    page.get_by_role('button', name='Save profile').click()
    expect(page.locator('.flash')).to_have_text('Profile saved.')
    self.assert_page_clean()

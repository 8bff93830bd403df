"""Issue 24.1 in the browser: browse and search show my campus by default, "All campuses" is
one click away (and back), cards and post pages name the campus, the post form starts on
mine; axe finds nothing serious on the switcher at either width."""

from tests.browser import test_Accessibility
from tests.browser.base import DESKTOP, PHONE, BrowserTestCase, expect
from tests.factories import make_campus, make_post, make_user


class CampusSeed:
  """Two campuses, a post on each, and a student of the north one."""

  def setUp(self):
    super().setUp()
    north = make_campus('north', domains=['north.example.edu'], spots=['Library steps'])
    south = make_campus('south', domains=['south.example.edu'])
    seller = make_user('nia', email='nia@north.example.edu', campus_id=north.id)
    make_post(seller=seller, title='Desk lamp north', campus_id=north.id)
    make_post(seller=seller, title='Desk lamp south', campus_id=south.id)
    self.student = make_user('sam', email='sam@north.example.edu', campus_id=north.id)


class CampusesTest(CampusSeed, BrowserTestCase):
  def titles(self, page):
    return page.locator('.post-card__title')

  def test_my_campus_by_default_and_all_campuses_one_click_away(self):
    page = self.new_page()
    self.log_in_in_browser(page, self.student)
    page.goto('/')
    mine, every = page.get_by_test_id('campus-mine'), page.get_by_test_id('campus-all')
    expect(mine).to_have_text('My campus · North Campus')
    expect(mine).to_have_attribute('aria-pressed', 'true')
    expect(self.titles(page)).to_have_text(['Desk lamp north'])
    card = page.locator('.post-card').filter(has_text='Desk lamp north')
    expect(card.get_by_test_id('card-campus')).to_have_text('North Campus')
    self.screenshot(page, 'campus-browse-mine-desktop')
    page.set_viewport_size(PHONE)
    self.screenshot(page, 'campus-browse-mine-phone')
    page.set_viewport_size(DESKTOP)

    every.click()
    expect(every).to_have_attribute('aria-pressed', 'true')
    expect(self.titles(page)).to_have_text(['Desk lamp south', 'Desk lamp north'])
    expect(page).to_have_url(f'{self.base_url}/?campus=all')
    page.reload()
    expect(self.titles(page)).to_have_count(2)
    page.get_by_label('Choose a campus').select_option('south')
    expect(self.titles(page)).to_have_text(['Desk lamp south'])
    page.get_by_test_id('campus-mine').click()
    expect(self.titles(page)).to_have_text(['Desk lamp north'])

    page.goto('/search?q=lamp')
    expect(self.titles(page)).to_have_text(['Desk lamp north'])
    page.get_by_test_id('campus-all').click()
    expect(self.titles(page)).to_have_count(2)
    expect(page).to_have_url(f'{self.base_url}/search?q=lamp&campus=all')
    self.screenshot(page, 'campus-search-all-desktop')

    page.goto('/posts/new')
    expect(page.get_by_label('Campus')).to_have_value('north')
    self.assert_page_clean()

  def test_a_visitor_sees_every_campus_and_no_my_campus_button(self):
    page = self.new_page()
    page.goto('/')
    expect(self.titles(page)).to_have_count(2)
    expect(page.get_by_test_id('campus-all')).to_have_attribute('aria-pressed', 'true')
    expect(page.get_by_test_id('campus-mine')).to_have_count(0)
    page.locator('.post-card__link').filter(has_text='Desk lamp south').click()
    expect(page.locator('dd').filter(has_text='South Campus')).to_be_visible()
    self.assert_page_clean()


class CampusAccessibilityTest(CampusSeed, BrowserTestCase):
  # The axe and heading checks of the main pages, on these (imported as a module, so pytest
  # does not collect AccessibilityTest here a second time).
  check_page = test_Accessibility.AccessibilityTest.check_page

  def test_the_switcher_pages_pass_axe_at_both_widths(self):
    self.axe = test_Accessibility.axe_source()
    page = self.new_page()
    self.log_in_in_browser(page, self.student)
    for path, name in (('/', 'browse-campus'), ('/search?q=lamp', 'search-campus')):
      page.goto(path)
      self.check_page(page, name, page.locator('.post-card'))
    self.assert_page_clean()


class CampusListSharedTest(BrowserTestCase):
  def test_the_post_form_opens_while_browse_still_loads_the_campuses(self):
    """The campus list is fetched once and shared: leaving browse while it loads must not
    cancel it for the post form (CI saw the form never draw after a quick "Sell")."""
    page = self.new_page()
    self.sign_up_in_browser(page, 'quick_seller')
    held = []
    page.route('**/api/campuses', lambda route: held.append(route))
    with page.expect_request('**/api/campuses'):
      page.goto('/')
    page.get_by_role('link', name='Sell', exact=True).click()
    expect(page).to_have_url(f'{self.base_url}/posts/new')
    for route in held:
      try:
        route.continue_()
      except Exception:  # noqa: BLE001 # a request the page already cancelled
        pass
    expect(page.get_by_label('Title')).to_be_visible()

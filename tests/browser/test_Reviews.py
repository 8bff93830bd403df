"""Issue 23, item 1, in the browser: after a sale the seller (from the sold post) and the buyer
(from the invitation) each leave a review in their own browser; neither sees the other's until
both have reviewed, then both reviews are on both public profiles. axe finds no serious or
critical violation on the review page at either width, and it is photographed."""

from app.extensions import db
from app.posts.PostModels import Post
from tests.browser import test_Accessibility
from tests.browser.base import DESKTOP, PHONE, BrowserTestCase, expect
from tests.factories import make_post, make_user


class ReviewPagesTest(BrowserTestCase):
  check_page = test_Accessibility.AccessibilityTest.check_page

  def sell(self):
    """Maya sells a lamp to Omar, through the API."""
    self.seller = make_user('maya', display_name='Maya')
    self.buyer = make_user('omar', display_name='Omar')
    self.post_id = make_post(self.seller, title='Desk lamp').id
    seller_client, buyer_client = (
      self.logged_in_client(self.seller),
      self.logged_in_client(self.buyer),
    )
    dib = self.api_ok('post', f'/api/posts/{self.post_id}/dibs', buyer_client, 201)['dib']
    self.api_ok('post', f'/api/dibs/{dib["id"]}/accept', seller_client)
    self.api_ok('post', f'/api/posts/{self.post_id}/sold', seller_client)
    db.session.expire_all()
    self.assertEqual(db.session.get(Post, self.post_id).status, 'sold')

  def test_both_sides_review_and_the_reviews_appear_on_both_profiles(self):
    self.axe = test_Accessibility.axe_source()
    self.sell()
    seller_page = self.new_page()
    self.log_in_in_browser(seller_page, self.seller)
    seller_page.goto(f'/posts/{self.post_id}')
    seller_page.get_by_test_id('leave-review').click()
    expect(seller_page.get_by_role('heading', name='Leave a review')).to_be_visible()
    self.check_page(seller_page, 'review', seller_page.get_by_test_id('review-form'))
    self.screenshot(seller_page, 'review-desktop')
    seller_page.set_viewport_size(PHONE)
    self.screenshot(seller_page, 'review-phone')
    seller_page.set_viewport_size(DESKTOP)
    form = seller_page.get_by_test_id('review-form')
    # Sending without stars: the error sits next to the stars.
    form.get_by_role('button', name='Send review').click()
    expect(form.locator('[data-error-for="stars"]')).to_be_visible()
    form.get_by_label('★★★★★ Excellent').check()
    form.get_by_label('What went well, or not? (optional)').fill('Quick to answer, on time.')
    form.get_by_label('On time').check()
    form.get_by_role('button', name='Send review').click()
    expect(seller_page.get_by_test_id('review-status')).to_contain_text(
      'hidden until Omar reviews you'
    )
    expect(seller_page.get_by_test_id('review-form')).to_have_count(0)

    buyer_page = self.new_page()
    self.log_in_in_browser(buyer_page, self.buyer)
    buyer_page.goto('/notifications')
    buyer_page.get_by_role('link', name='Review maya within 14 days').click()
    expect(buyer_page.get_by_test_id('review-status')).to_contain_text(
      'Maya has already reviewed you'
    )
    buyer_form = buyer_page.get_by_test_id('review-form')
    buyer_form.get_by_label('★★★★ Very good').check()
    buyer_form.get_by_label('What went well, or not? (optional)').fill('Lamp exactly as described.')
    buyer_form.get_by_label('As described').check()
    buyer_form.get_by_role('button', name='Send review').click()
    expect(buyer_page.get_by_test_id('review-status')).to_have_text('Both reviews are published.')
    expect(buyer_page.get_by_text('Quick to answer, on time.')).to_be_visible()

    visitor = self.new_page()
    visitor.goto('/users/maya')
    reviews = visitor.get_by_test_id('profile-reviews')
    expect(reviews.get_by_test_id('review')).to_have_count(1)
    expect(reviews).to_contain_text('Lamp exactly as described.')
    expect(visitor.locator('.profile-card').get_by_test_id('rating')).to_have_text(
      '4.0 ★ (1 review)'
    )
    visitor.goto('/users/omar')
    expect(visitor.get_by_test_id('profile-reviews')).to_contain_text('Quick to answer, on time.')
    expect(visitor.locator('.profile-card').get_by_test_id('rating')).to_have_text(
      '5.0 ★ (1 review)'
    )
    # The post page shows the seller's rating too.
    visitor.goto(f'/posts/{self.post_id}')
    expect(visitor.locator('.facts').get_by_test_id('rating')).to_have_text('4.0 ★ (1 review)')
    seller_page.reload()
    expect(seller_page.get_by_test_id('review-status')).to_have_text('Both reviews are published.')
    self.screenshot(seller_page, 'review-published-desktop')
    self.assert_page_clean()

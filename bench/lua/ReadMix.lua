-- Issue 22's read mix: every request is drawn at random over the whole catalogue.
-- bench/BenchMix.py writes the catalogue above this file for each run: mix_seed,
-- mix_post_count, mix_pages, mix_detail_share, mix_list_share (percent; the rest are
-- searches), mix_categories and mix_words (already URL-encoded).
local thread_count = 0

-- Runs in the main state, once per thread: number the threads so each seeds its own sequence.
function setup(thread)
  thread_count = thread_count + 1
  thread:set('mix_thread_number', thread_count)
end

-- Runs in each thread's own state: the same seed and thread give the same requests, so the
-- app and the baseline of a round are asked the same sequence.
function init(args)
  math.randomseed(mix_seed * 1000 + mix_thread_number)
end

function request()
  local roll = math.random(100)
  local path
  if roll <= mix_detail_share then
    path = '/api/posts/' .. math.random(mix_post_count)
  elseif roll <= mix_detail_share + mix_list_share then
    path = '/api/posts?category=' .. mix_categories[math.random(#mix_categories)] ..
      '&page=' .. math.random(mix_pages)
  else
    path = '/api/search/posts?q=' .. mix_words[math.random(#mix_words)]
  end
  return wrk.format('GET', path)
end

/**
 * The Library view: the generation pool, the takes of every project the app knows (open and recent ones), newest
 * first, searched by words of prompt, tags, characters and template, filtered by character, template and tag (and
 * rejected takes hidden), loaded page by page as the grid scrolls (`library.takes.search` with its cursor). Each
 * take can be sent to a shot of an open project ("Send to shot…", SendToShotDialog.tsx), which copies its file into
 * that project.
 *
 * Pictures show for takes of projects open in this core; `bridge.mediaUrl` cannot reach a closed project's files,
 * so those show as text tiles (see libraryModel.ts).
 */
import { keepPreviousData, useInfiniteQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useMemo, useRef, useState } from 'react';
import type { LibraryTake } from '../../../src-preload/model';
import { useBridge } from '../../bridge';
import { ErrorNotice } from '../../components/ErrorNotice';
import { useCharacters, useTemplates } from '../../data/library';
import { toastError } from '../../data/project';
import { useUi } from '../../state/ui';
import { ViewHeader } from '../queue/ViewHeader';
import { LibraryViewIcon, SearchIcon, SendIcon, StarIcon } from '../takes/icons';
import { activeFilterCount, libraryKey, mergePages, searchArgs, tilePicture, tileText, type LibraryFilters } from './libraryModel';
import { SendToShotDialog } from './SendToShotDialog';
import { useLibraryView } from './store';
import './library.css';

/** The react-query key prefix of the pool's pages. */
export const LIBRARY_TAKES_KEY = ['libraryTakes'] as const;

/** How long typing rests before the search runs. */
const SEARCH_DEBOUNCE_MS = 250;

/** The Library view, inside the workspace of `projectId` (whose shots "Send to shot…" proposes first). */
export function LibraryView({ projectId }: { projectId: string }) {
  const bridge = useBridge();
  const qc = useQueryClient();
  const filters = useLibraryView((s) => s.filters);
  const setFilters = useLibraryView((s) => s.setFilters);
  const sending = useLibraryView((s) => s.sending);
  const [reindexing, setReindexing] = useState(false);
  const scrollerRef = useRef<HTMLDivElement>(null);
  const sentinelRef = useRef<HTMLDivElement>(null);

  const pages = useInfiniteQuery({
    queryKey: [...LIBRARY_TAKES_KEY, searchArgs(filters)],
    queryFn: ({ pageParam }) => bridge.call('library.takes.search', searchArgs(filters, pageParam)),
    initialPageParam: null as string | null,
    getNextPageParam: (last) => last.nextCursor,
    placeholderData: keepPreviousData,
    staleTime: 10_000,
  });
  const takes = useMemo(() => mergePages(pages.data?.pages ?? []), [pages.data]);

  // takes change in any open project (new takes, stars, tags): refresh what is shown, at most twice a second
  useEffect(() => {
    let timer: ReturnType<typeof setTimeout> | null = null;
    const off = bridge.on('project.changed', () => {
      if (timer) return;
      timer = setTimeout(() => {
        timer = null;
        void qc.invalidateQueries({ queryKey: LIBRARY_TAKES_KEY });
      }, 500);
    });
    return () => {
      off();
      if (timer) clearTimeout(timer);
    };
  }, [bridge, qc]);

  // infinite scroll: the next page loads when the end of the grid comes near
  const { hasNextPage, isFetchingNextPage, fetchNextPage } = pages;
  useEffect(() => {
    const el = sentinelRef.current;
    if (!el || !hasNextPage) return;
    const io = new IntersectionObserver(
      (entries) => {
        if (entries.some((e) => e.isIntersecting) && !isFetchingNextPage) void fetchNextPage();
      },
      { root: scrollerRef.current, rootMargin: '600px 0px' },
    );
    io.observe(el);
    return () => io.disconnect();
  }, [hasNextPage, isFetchingNextPage, fetchNextPage, takes.length]);

  const reindex = async () => {
    setReindexing(true);
    try {
      const r = await bridge.call('library.reindex', {});
      useUi.getState().toast({
        kind: r.failed.length ? 'error' : 'success',
        message: `Indexed ${r.takes} take${r.takes === 1 ? '' : 's'} of ${r.projects} project${r.projects === 1 ? '' : 's'}${r.removed.length ? `; ${r.removed.length} gone from disk` : ''}.`,
        hint: r.failed.length ? `Could not read ${r.failed.map((f) => `${f.path} (${f.message})`).join('; ')}` : null,
      });
      await qc.invalidateQueries({ queryKey: LIBRARY_TAKES_KEY });
    } catch (err) {
      toastError(err, 'Could not re-index the library');
    } finally {
      setReindexing(false);
    }
  };

  const filtered = activeFilterCount(filters) > 0;
  const countText = pages.data ? `${takes.length}${hasNextPage ? '+' : ''} take${takes.length === 1 && !hasNextPage ? '' : 's'}${filtered ? ' found' : ' in every project'}` : undefined;

  return (
    <div className="library-takes-view">
      <ViewHeader projectId={projectId} title="Library" subtitle={countText}>
        <button className="button" onClick={() => void reindex()} disabled={reindexing} title="Read every open and recent project again">
          {reindexing ? <span className="spinner" aria-hidden="true" /> : null} Re-index
        </button>
      </ViewHeader>
      <Filters projectId={projectId} filters={filters} setFilters={setFilters} />
      <div className="lib-scroller" ref={scrollerRef}>
        {pages.error ? <ErrorNotice error={pages.error} title="Could not search the library" /> : null}
        {pages.isPending ? (
          <div className="lib-empty">
            <span className="spinner" aria-hidden="true" /> Searching the takes of every project…
          </div>
        ) : takes.length === 0 && !pages.error ? (
          <div className="lib-empty">
            <LibraryViewIcon />
            {filtered ? (
              <>
                <strong>No take matches.</strong>
                <span className="muted">Try fewer words, or clear the filters.</span>
                <button className="button" onClick={() => useLibraryView.getState().clearFilters()}>
                  Clear filters
                </button>
              </>
            ) : (
              <>
                <strong>No takes in any project yet.</strong>
                <span className="muted">Takes you import or generate in any project show here. Projects opened before may need a re-index.</span>
                <button className="button" onClick={() => void reindex()} disabled={reindexing}>
                  Re-index projects
                </button>
              </>
            )}
          </div>
        ) : (
          <div className={`lib-grid${pages.isPlaceholderData ? ' is-stale' : ''}`} role="list" aria-label="Takes of every project">
            {takes.map((t) => (
              <LibraryTile key={libraryKey(t)} take={t} />
            ))}
          </div>
        )}
        <div ref={sentinelRef} className="lib-sentinel" aria-hidden="true" />
        {isFetchingNextPage ? (
          <div className="lib-more">
            <span className="spinner" aria-hidden="true" /> Loading more…
          </div>
        ) : null}
      </div>
      {sending ? <SendToShotDialog projectId={projectId} take={sending} onClose={() => useLibraryView.getState().setSending(null)} /> : null}
    </div>
  );
}

/** The search box and the filters, above the grid. Typing is debounced; selects apply at once. */
function Filters(p: { projectId: string; filters: LibraryFilters; setFilters(patch: Partial<LibraryFilters>): void }) {
  const characters = useCharacters(p.projectId);
  const templates = useTemplates();
  const [query, setQuery] = useState(p.filters.query);
  const [tag, setTag] = useState(p.filters.tag);
  const { setFilters } = p;

  // a cleared filter (the empty state's button) clears the boxes too
  useEffect(() => setQuery(p.filters.query), [p.filters.query]);
  useEffect(() => setTag(p.filters.tag), [p.filters.tag]);
  useEffect(() => {
    if (query === p.filters.query && tag === p.filters.tag) return;
    const t = setTimeout(() => setFilters({ query, tag }), SEARCH_DEBOUNCE_MS);
    return () => clearTimeout(t);
  }, [query, tag, p.filters.query, p.filters.tag, setFilters]);

  const names = useMemo(() => [...new Set((characters.data ?? []).map((c) => c.name))].sort((a, b) => a.localeCompare(b)), [characters.data]);
  const count = activeFilterCount(p.filters);

  return (
    <div className="lib-filters" role="search">
      <label className="lib-search">
        <SearchIcon />
        <input
          className="lib-search-input"
          type="search"
          value={query}
          placeholder="Search prompts, tags, characters, templates"
          aria-label="Search takes"
          onChange={(e) => setQuery(e.target.value)}
          onKeyDown={(e) => {
            if (e.key === 'Enter') setFilters({ query, tag });
          }}
        />
      </label>
      <select className="input lib-select" aria-label="Character" value={p.filters.character} onChange={(e) => setFilters({ character: e.target.value })}>
        <option value="">Any character</option>
        {names.map((n) => (
          <option key={n} value={n}>
            {n}
          </option>
        ))}
      </select>
      <select className="input lib-select" aria-label="Template" value={p.filters.templateId} onChange={(e) => setFilters({ templateId: e.target.value })}>
        <option value="">Any template</option>
        {(templates.data ?? []).map((t) => (
          <option key={t.id} value={t.id}>
            {t.name}
          </option>
        ))}
      </select>
      <input className="input lib-tag" type="text" value={tag} placeholder="Tag" aria-label="Tag" maxLength={60} onChange={(e) => setTag(e.target.value)} />
      <label className="lib-check">
        <input type="checkbox" checked={p.filters.hideRejected} onChange={(e) => setFilters({ hideRejected: e.target.checked })} /> Hide rejected
      </label>
      {count > 0 ? (
        <button type="button" className="link-button lib-clear" onClick={() => useLibraryView.getState().clearFilters()}>
          Clear {count === 1 ? 'filter' : `${count} filters`}
        </button>
      ) : null}
    </div>
  );
}

/** One take of the pool: its picture (or a text tile for a closed project), shot, project, prompt, tags and "Send to shot…". */
function LibraryTile({ take }: { take: LibraryTake }) {
  const bridge = useBridge();
  const pic = tilePicture(take);
  const text = tileText(take);
  const [broken, setBroken] = useState(false);
  return (
    <article
      className={`lib-tile${take.rejected ? ' is-rejected' : ''}`}
      role="listitem"
      aria-label={`${text.shot} of ${text.project}`}
      data-take-id={take.takeId}
      title={text.hasPrompt ? text.prompt : undefined}
    >
      <div className="lib-pic">
        {pic && !broken ? (
          <img src={bridge.mediaUrl(pic.projectId, pic.relPath, pic.version)} alt="" loading="lazy" draggable={false} onError={() => setBroken(true)} />
        ) : (
          <div className="lib-text-tile">
            <LibraryViewIcon />
            <span className="lib-text-tile-note">{take.projectId ? 'No picture of this take yet.' : `${text.project} is not open here: open it to see the picture.`}</span>
          </div>
        )}
        <div className="lib-pic-badges">
          {take.starred ? (
            <span className="take-badge is-starred" title="Starred">
              <StarIcon filled size={11} />
            </span>
          ) : null}
          {take.rejected ? <span className="take-badge is-rejected">Rejected</span> : null}
          {take.kind === 'video' ? <span className="take-badge">Clip</span> : null}
        </div>
      </div>
      <div className="lib-body">
        <div className="lib-where">
          <span className="lib-shot">{text.shot}</span>
          <span className="lib-project" title={take.projectPath}>
            {text.project}
          </span>
        </div>
        {text.hasPrompt ? <p className="lib-prompt">{text.prompt}</p> : <p className="lib-prompt is-empty">{text.prompt}</p>}
        {take.tags.length || text.details.length ? (
          <div className="lib-chips">
            {take.tags.map((t) => (
              <span key={`tag:${t}`} className="lib-chip is-tag">
                #{t}
              </span>
            ))}
            {text.details.map((d) => (
              <span key={`d:${d}`} className="lib-chip">
                {d}
              </span>
            ))}
          </div>
        ) : null}
        <button type="button" className="button button-small lib-send" onClick={() => useLibraryView.getState().setSending(take)}>
          <SendIcon /> Send to shot…
        </button>
      </div>
    </article>
  );
}

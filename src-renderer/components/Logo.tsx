/** The StoryCanvas mark: three storyboard panels on a strip. */
export function Logo(props: { size?: number }) {
  const s = props.size ?? 24;
  return (
    <svg width={s} height={s} viewBox="0 0 32 32" aria-hidden="true">
      <rect x="1" y="6" width="30" height="20" rx="4" fill="#2a3a55" />
      <rect x="4" y="10" width="7" height="12" rx="1.5" fill="#6aa8ff" />
      <rect x="12.5" y="10" width="7" height="12" rx="1.5" fill="#8fbcff" />
      <rect x="21" y="10" width="7" height="12" rx="1.5" fill="#ffc35c" />
    </svg>
  );
}

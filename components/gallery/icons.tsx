import { Icon } from "@/components/ui/icons";
import type { SVGProps } from "react";

/*
 * Icons of the gallery and the player (loaded with them, not in the first load). Decorative:
 * the button around each carries the name, and a Tooltip shows it.
 */
type IconProps = SVGProps<SVGSVGElement>;
const icon = (drawing: React.ReactNode) =>
  function GalleryIcon(props: IconProps) {
    return <Icon {...props}>{drawing}</Icon>;
  };

export const DownloadIcon = icon(<path d="M12 4v11m0 0l-4-4m4 4l4-4M5 19h14" />);
export const RemixIcon = icon(<path d="M4 7h11l-3-3m3 3l-3 3M20 17H9l3-3m-3 3l3 3" />);
export const ContinueIcon = icon(<path d="M4 12h12m0 0l-4-4m4 4l-4 4M20 5v14" />);
export const ShareIcon = icon(<path d="M12 15V4m0 0L8 8m4-4l4 4M5 13v6h14v-6" />);
export const StarIcon = icon(<path d="M12 3.5l2.6 5.3 5.9.9-4.3 4.1 1 5.8-5.2-2.7-5.2 2.7 1-5.8-4.3-4.1 5.9-.9z" strokeLinejoin="round" />);
export const MoreIcon = icon(<path d="M5 12h0m7 0h0m7 0h0" strokeWidth={3.5} />);
export const PlayIcon = icon(<path d="M8 5l11 7-11 7z" strokeLinejoin="round" />);
export const ChevronLeftIcon = icon(<path d="M15 5l-7 7 7 7" />);
export const ChevronRightIcon = icon(<path d="M9 5l7 7-7 7" />);
export const CopyIcon = icon(
  <>
    <rect x="9" y="9" width="11" height="11" rx="2" />
    <path d="M5 15V6a2 2 0 012-2h9" />
  </>,
);
export const FilmIcon = icon(
  <>
    <rect x="3" y="5" width="18" height="14" rx="2" />
    <path d="M7 5v14M17 5v14M3 9.5h4m10 0h4M3 14.5h4m10 0h4" />
  </>,
);
export const FrameIcon = icon(
  <>
    <rect x="3" y="5" width="18" height="14" rx="2" />
    <path d="M3 16l5-5 4 4 3-3 6 6" />
  </>,
);
export const RetryIcon = icon(<path d="M4 12a8 8 0 0113.7-5.7L20 8.6M20 4v4.6h-4.6M20 12a8 8 0 01-13.7 5.7L4 15.4M4 20v-4.6h4.6" />);
export const AlertIcon = icon(<path d="M12 4l9 16H3zM12 10v4m0 3h0" strokeLinejoin="round" />);

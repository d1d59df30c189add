import { createContext, type ReactNode, useContext } from 'react';
import { createPortal } from 'react-dom';

/**
 * The strip under the shell's header, across the page and in its flow: a banner placed here pushes the page down
 * instead of lying over its buttons. Features put their banners here from the header (the level I–II alarm).
 */
export const BannerSlotContext = createContext<HTMLElement | null>(null);

/** Its children in the shell's banner strip; in place where there is no shell (a test, a page of its own). */
export function InBannerSlot({ children }: { children: ReactNode }) {
  const slot = useContext(BannerSlotContext);
  return slot ? createPortal(children, slot) : children;
}

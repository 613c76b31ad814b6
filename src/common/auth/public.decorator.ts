import { SetMetadata } from '@nestjs/common';

export const IS_PUBLIC = 'auth:public';

/** Routes are authenticated by default; this marks one (or a whole controller) open to anyone. */
export const Public = () => SetMetadata(IS_PUBLIC, true);

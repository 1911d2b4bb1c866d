import type { StackProps } from 'aws-cdk-lib';
import type { SquashVectorSearchProps } from './squash-vector-search-props.ts';

/** Properties of `SquashStack`: the stack's own and those of the `SquashVectorSearch` it holds. */
export interface SquashStackProps extends StackProps, SquashVectorSearchProps {}
